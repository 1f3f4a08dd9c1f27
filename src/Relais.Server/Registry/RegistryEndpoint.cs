using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Relais.Server.Registry;

/// <summary>
/// Where the registry is: <see cref="Host"/> is what jobs and engines name it by (<c>CI_REGISTRY</c> is
/// <see cref="Address"/>), <see cref="Bind"/> the one IP Distribution listens on (its <c>http.addr</c>; never a wildcard).
/// </summary>
public sealed record RegistryEndpoint(string Host, IPAddress Bind, int Port)
{
    /// <summary><c>HOST:PORT</c>, as image names start.</summary>
    public string Address => Join(Host, Port);

    /// <summary>Distribution's <c>http.addr</c>.</summary>
    public string ListenAddress => Join(Bind.ToString(), Port);

    /// <summary>
    /// The endpoint for <paramref name="configured"/> (<c>--registry-address</c>: an IP, or a DNS name an operator
    /// routes here) or, without it, the <paramref name="reachable"/> host address (<see cref="DockerBridge.ReachableAddress"/>;
    /// else loopback). A configured IP is bound as it is; a name binds the first of its addresses that is this host's
    /// (<paramref name="local"/>), else the reachable one. <paramref name="note"/> says what an operator should know (null when nothing).
    /// </summary>
    public static RegistryEndpoint Choose(string? configured, int port, IPAddress? reachable, Func<string, IReadOnlyList<IPAddress>> resolve, IReadOnlySet<IPAddress> local, out string? note)
    {
        ArgumentNullException.ThrowIfNull(resolve);
        ArgumentNullException.ThrowIfNull(local);
        note = null;
        var fallback = reachable ?? IPAddress.Loopback;
        if (string.IsNullOrWhiteSpace(configured))
        {
            if (reachable is null)
            {
                note = "relais: this host has no address containers reach (no default route, no docker0): the registry listens on 127.0.0.1, which containers (jobs, DinD services) cannot reach; give --registry-address";
            }

            return new RegistryEndpoint(fallback.ToString(), fallback, port);
        }

        var host = configured.Trim().Trim('[', ']');
        if (IPAddress.TryParse(host, out var ip))
        {
            return new RegistryEndpoint(ip.ToString(), ip, port);
        }

        IReadOnlyList<IPAddress> addresses;
        try
        {
            addresses = resolve(host);
        }
        catch (SocketException)
        {
            addresses = [];
        }

        if (addresses.FirstOrDefault(local.Contains) is { } own)
        {
            return new RegistryEndpoint(host, own, port);
        }

        note = $"relais: --registry-address {host} is not an address of this host: the registry listens on {fallback}; route {host} there";
        return new RegistryEndpoint(host, fallback, port);
    }

    /// <summary>This host's own unicast addresses.</summary>
    public static IReadOnlySet<IPAddress> LocalAddresses()
    {
        try
        {
            return System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
                .SelectMany(n => n.GetIPProperties().UnicastAddresses)
                .Select(a => a.Address)
                .ToHashSet();
        }
        catch (System.Net.NetworkInformation.NetworkInformationException)
        {
            return new HashSet<IPAddress> { IPAddress.Loopback };
        }
    }

    private static string Join(string host, int port) =>
        string.Create(CultureInfo.InvariantCulture, $"{(host.Contains(':', StringComparison.Ordinal) ? "[" + host + "]" : host)}:{port}");
}

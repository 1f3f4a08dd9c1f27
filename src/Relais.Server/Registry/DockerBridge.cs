using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Relais.Server.Registry;

/// <summary>
/// The host addresses containers reach the host by: its own interface address (the one with the default route),
/// which job containers, DinD daemons and the host's engine all reach, and the Docker bridge's gateway on
/// <c>docker0</c>, which a DinD daemon does not (its own <c>docker0</c> takes the same subnet inside).
/// </summary>
public static class DockerBridge
{
    /// <summary>The interface Docker's default bridge network makes.</summary>
    public const string InterfaceName = "docker0";

    /// <summary>The IPv4 address of <c>docker0</c> (172.17.0.1 on most hosts); null when there is no such interface.</summary>
    public static IPAddress? GatewayAddress()
    {
        try
        {
            return NetworkInterface.GetAllNetworkInterfaces()
                .Where(n => n.Name == InterfaceName)
                .SelectMany(n => n.GetIPProperties().UnicastAddresses)
                .Select(a => a.Address)
                .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork);
        }
        catch (NetworkInformationException)
        {
            return null;
        }
    }

    /// <summary>
    /// The address the registry and the token realm are reached by: the host's own IPv4 on the interface with the
    /// default route (not a bridge of Docker's or a container's link), else the bridge's gateway; null when neither.
    /// </summary>
    public static IPAddress? ReachableAddress() => HostAddress() ?? GatewayAddress();

    /// <summary>The IPv4 of the host's interface that has a default gateway (192.0.2.2 on <c>eth0</c>, say); null when none.</summary>
    public static IPAddress? HostAddress()
    {
        try
        {
            var candidates = NetworkInterface.GetAllNetworkInterfaces()
                .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback && !IsContainerLink(n.Name))
                .Select(n => (Properties: n.GetIPProperties(), Name: n.Name))
                .ToList();
            return candidates
                .Where(c => c.Properties.GatewayAddresses.Any(g => g.Address.AddressFamily == AddressFamily.InterNetwork))
                .SelectMany(c => c.Properties.UnicastAddresses)
                .Select(a => a.Address)
                .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
        }
        catch (NetworkInformationException)
        {
            return null;
        }
    }

    private static bool IsContainerLink(string name) =>
        name == InterfaceName || name.StartsWith("br-", StringComparison.Ordinal) || name.StartsWith("veth", StringComparison.Ordinal)
        || name.StartsWith("virbr", StringComparison.Ordinal) || name.StartsWith("cni", StringComparison.Ordinal);
}

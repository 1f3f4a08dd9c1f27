using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using IPNetwork = System.Net.IPNetwork;

namespace Relais.Server.Security;

/// <summary>
/// <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c>, honoured only from the reverse proxies an operator names
/// (<c>relais serve --trusted-proxy CIDR</c>; none by default). When the connection's peer is in one of those
/// networks, ASP.NET Core's forwarded-headers middleware replaces <c>Connection.RemoteIpAddress</c> with the client
/// the proxies saw (walking <c>X-Forwarded-For</c> from the right, past trusted hops, to the first untrusted one)
/// and <c>Request.Scheme</c> with the forwarded one, before anything else runs: the rate limit, the audit log and
/// <c>Secure</c> cookies all see the real client. Without the option the headers are ignored, so a client cannot
/// pick the address it is counted under.
/// </summary>
public static class TrustedProxies
{
    /// <summary>Adds the middleware (first in the pipeline) when there is any trusted network; otherwise nothing.</summary>
    public static void Use(WebApplication app, IReadOnlyList<IPNetwork> networks)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(networks);
        if (networks.Count == 0)
        {
            return;
        }

        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto,
            ForwardLimit = null, // as many trusted hops as there are; stop at the first untrusted one
        };
        options.KnownProxies.Clear(); // the defaults trust loopback; only what the operator named is trusted
        options.KnownIPNetworks.Clear();
        foreach (var network in networks)
        {
            options.KnownIPNetworks.Add(network);
        }

        app.UseForwardedHeaders(options);
    }

    /// <summary>
    /// Parses <c>--trusted-proxy</c> values: CIDR blocks (<c>10.0.0.0/8</c>, <c>fd00::/8</c>) or single addresses,
    /// several per value separated by commas. Null and an error message when one does not parse.
    /// </summary>
    public static IReadOnlyList<IPNetwork>? Parse(IEnumerable<string> values, out string? error)
    {
        ArgumentNullException.ThrowIfNull(values);
        var networks = new List<IPNetwork>();
        foreach (var item in values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            var slash = item.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0 && IPAddress.TryParse(item, out var address))
            {
                networks.Add(new IPNetwork(address, address.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32));
            }
            else if (slash > 0 && IPNetwork.TryParse(item, out var network)
                && IPAddress.TryParse(item[..slash], out var given) && given.Equals(network.BaseAddress))
            {
                networks.Add(network); // as written: 10.0.0.1/8 (bits past the prefix) is refused, not widened to 10.0.0.0/8
            }
            else
            {
                error = $"--trusted-proxy: '{item}' is not an address or a CIDR block (like 10.0.0.0/8; no bits set past the prefix)";
                return null;
            }
        }

        error = null;
        return networks;
    }
}

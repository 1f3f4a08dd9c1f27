using System.Net;
using System.Net.Sockets;

namespace Relais.Server.Webhooks;

/// <summary>
/// Which addresses a webhook may not reach unless local requests are allowed (GitLab's "Allow requests to the local
/// network from webhooks"): loopback, private (RFC 1918, unique local fc00::/7), link-local (169.254/16, fe80::/10),
/// unspecified, carrier-grade NAT (100.64/10, Docker Desktop and Tailscale live there), multicast and broadcast. IPv4
/// mapped in IPv6 is judged as the IPv4 address. Docker's bridge (172.17/16) is private already.
/// </summary>
public static class WebhookAddresses
{
    private static readonly IPNetwork[] Local =
    [
        IPNetwork.Parse("0.0.0.0/8"),
        IPNetwork.Parse("10.0.0.0/8"),
        IPNetwork.Parse("100.64.0.0/10"),
        IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("169.254.0.0/16"),
        IPNetwork.Parse("172.16.0.0/12"),
        IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("224.0.0.0/4"),
        IPNetwork.Parse("240.0.0.0/4"),
        IPNetwork.Parse("::/128"),
        IPNetwork.Parse("::1/128"),
        IPNetwork.Parse("fc00::/7"),
        IPNetwork.Parse("fe80::/10"),
        IPNetwork.Parse("ff00::/8"),
    ];

    /// <summary>Whether <paramref name="address"/> is on the local network (refused without <c>--allow-local-webhooks</c>).</summary>
    public static bool IsLocal(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6)
            || Local.Any(n => n.Contains(address));
    }
}

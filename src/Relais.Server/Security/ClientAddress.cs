using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;

namespace Relais.Server.Security;

/// <summary>
/// The client address a request is counted under by the rate limit: the connection's peer (after
/// <see cref="TrustedProxies"/> has replaced it with the forwarded client, when the peer is a trusted proxy). An
/// IPv4 address counts as itself (also when seen as <c>::ffff:a.b.c.d</c>); an IPv6 address by its /64, the
/// smallest block one site usually gets, so a client cannot dodge the limit by walking through its own addresses.
/// </summary>
public static class ClientAddress
{
    public static string Of(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return Key(http.Connection.RemoteIpAddress);
    }

    public static string Key(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}

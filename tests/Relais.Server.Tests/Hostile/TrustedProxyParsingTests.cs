using System.Net;
using Relais.Server.Security;

namespace Relais.Server.Tests.Hostile;

/// <summary>What <c>--trusted-proxy</c> accepts, and the address a client is counted under.</summary>
public sealed class TrustedProxyParsingTests
{
    [Fact]
    public void Trusted_proxies_are_CIDR_blocks_or_single_addresses_repeated_or_comma_separated()
    {
        var networks = TrustedProxies.Parse(["10.0.0.0/8, 192.168.1.7", "fd00::/8"], out var error);
        Assert.Null(error);
        Assert.Equal(["10.0.0.0/8", "192.168.1.7/32", "fd00::/8"], networks!.Select(n => n.ToString()));
    }

    [Theory]
    [InlineData("10.0.0.1/8")] // bits set past the prefix: a typo for 10.0.0.0/8 or for 10.0.0.1/32
    [InlineData("proxy.example")]
    [InlineData("10.0.0.0/33")]
    public void A_trusted_proxy_that_is_not_an_address_or_a_block_is_refused(string value)
    {
        Assert.Null(TrustedProxies.Parse([value], out var error));
        Assert.Contains(value, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("203.0.113.5", "203.0.113.5")]
    [InlineData("::ffff:203.0.113.5", "203.0.113.5")]
    [InlineData("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2:bbbb:cccc:dddd:eeee", "2001:db8:1:2::/64")]
    public void An_IPv6_client_is_counted_by_its_64_block_so_it_cannot_walk_its_addresses_past_the_limit(string address, string key) =>
        Assert.Equal(key, ClientAddress.Key(IPAddress.Parse(address)));
}

using System.Net;
using Relais.Server.Security;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Hostile;

/// <summary>
/// <c>X-Forwarded-For</c>/<c>X-Forwarded-Proto</c> are believed only from a trusted proxy (<c>--trusted-proxy</c>):
/// from anyone else a client could pick the address it is counted under (and dodge the limit) or claim https.
/// </summary>
public sealed class TrustedProxyTests
{
    private static readonly AuthThrottleOptions FivePerAddress = new() { FailuresPerAddress = 5, FailuresPerKey = 100 };

    [Fact]
    public async Task Forwarded_headers_from_an_untrusted_peer_are_ignored_and_the_limit_applies_to_its_real_address()
    {
        // A proxy is trusted, but not this peer (127.0.0.1).
        await using var server = await TestServer.StartAsync(Stores.Sqlite, configure: o => o with
        {
            AuthThrottle = FivePerAddress,
            TrustedProxies = [IPNetwork.Parse("10.0.0.0/8")],
        });

        // Each junk request claims another client address: all are counted as 127.0.0.1.
        var statuses = new List<HttpStatusCode>();
        for (var i = 1; i <= 7; i++)
        {
            statuses.Add(await RateLimitProbe.GetUserAsync(server.Http, "glpat-junk" + i, forwardedFor: $"10.1.2.{i}"));
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Unauthorized, 5), HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        var audit = await server.Host.Stores.Audit.ListAuditEventsAsync(null, 0, 100);
        Assert.All(audit.Items.Where(e => e.Action == "authentication_failed"), e => Assert.Equal("127.0.0.1", e.IpAddress));

        // Nor does a claimed https make cookies Secure on a plain-http connection.
        Assert.DoesNotContain("secure", await SignInCookieAsync(server, "https"), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Forwarded_headers_from_a_trusted_proxy_are_honoured_and_two_clients_behind_it_are_counted_apart()
    {
        await using var server = await TestServer.StartAsync(Stores.Sqlite, configure: o => o with
        {
            AuthThrottle = FivePerAddress,
            TrustedProxies = [IPNetwork.Parse("127.0.0.1/32")],
        });

        for (var i = 1; i <= 5; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await RateLimitProbe.GetUserAsync(server.Http, "glpat-junk" + i, forwardedFor: "203.0.113.5"));
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, await RateLimitProbe.GetUserAsync(server.Http, "glpat-junk6", forwardedFor: "203.0.113.5"));

        // The client is the rightmost address the trusted proxy did not add: a made-up hop to its left changes nothing.
        Assert.Equal(HttpStatusCode.TooManyRequests, await RateLimitProbe.GetUserAsync(server.Http, "glpat-junk7", forwardedFor: "192.0.2.99, 203.0.113.5"));

        // Another client behind the same proxy is counted on its own, and the first one's good token still works.
        Assert.Equal(HttpStatusCode.Unauthorized, await RateLimitProbe.GetUserAsync(server.Http, "glpat-junk8", forwardedFor: "203.0.113.6"));
        Assert.Equal(HttpStatusCode.OK, await RateLimitProbe.GetUserAsync(server.Http, TestServer.RootToken, forwardedFor: "203.0.113.5"));

        // The audit log records the client, not the proxy; the forwarded https makes cookies Secure.
        var audit = await server.Host.Stores.Audit.ListAuditEventsAsync(null, 0, 100);
        var addresses = audit.Items.Where(e => e.Action == "authentication_failed").Select(e => e.IpAddress).ToHashSet();
        Assert.Equal(new HashSet<string?> { "203.0.113.5", "203.0.113.6" }, addresses);
        Assert.Contains("secure", await SignInCookieAsync(server, "https"), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", await SignInCookieAsync(server, null), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The <c>Set-Cookie</c> of the sign-in form, fetched with <c>X-Forwarded-Proto</c> when given.</summary>
    private static async Task<string> SignInCookieAsync(TestServer server, string? forwardedProto)
    {
        using var browser = RateLimitProbe.NewBrowser(server);
        using var request = new HttpRequestMessage(HttpMethod.Get, "users/sign_in");
        if (forwardedProto is not null)
        {
            request.Headers.Add("X-Forwarded-Proto", forwardedProto);
        }

        using var response = await browser.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return string.Join("\n", response.Headers.GetValues("Set-Cookie"));
    }
}

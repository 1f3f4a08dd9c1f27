using System.Net;
using Relais.Server.Auth;
using Relais.Server.Security;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Hostile;

/// <summary>
/// Password guessing on the web sign-in form, from many addresses (clients behind a trusted reverse proxy, told
/// apart by <c>X-Forwarded-For</c>) and from one: the account's password sign-in locks after the per-account
/// allowance, for every address, and another account is not affected; one address alone cannot lock it.
/// </summary>
public sealed class RateLimitSignInTests
{
    private const string AlicePassword = "alice's long passphrase";

    [Fact]
    public async Task Wrong_passwords_for_one_account_from_many_addresses_lock_its_password_sign_in_but_not_another_accounts()
    {
        await using var server = await StartAsync(new AuthThrottleOptions { FailuresPerAccount = 6 });
        var aliceToken = await AddAliceAsync(server);
        using var attacker = RateLimitProbe.NewBrowser(server);
        for (var i = 1; i <= 6; i++)
        {
            using var wrong = await RateLimitProbe.SignInAsync(attacker, "alice", "guess " + i, forwardedFor: $"198.51.100.{i}");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        // Alice herself, from an address that never failed, with the right password: locked (a right guess would
        // otherwise tell the attacker so), with Retry-After and a page saying why.
        using (var alice = RateLimitProbe.NewBrowser(server))
        using (var locked = await RateLimitProbe.SignInAsync(alice, "alice", AlicePassword, forwardedFor: "203.0.113.7"))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
            Assert.InRange(locked.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 600);
            Assert.Contains("Too many failed sign-ins", await locked.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            // Her token still signs her in, on the form and on the API: only password sign-in is locked.
            using var byToken = await RateLimitProbe.SignInAsync(alice, null, aliceToken, forwardedFor: "203.0.113.7", withToken: true);
            Assert.Equal(HttpStatusCode.Redirect, byToken.StatusCode);
            Assert.Equal(HttpStatusCode.OK, await RateLimitProbe.GetUserAsync(server.Http, aliceToken, forwardedFor: "203.0.113.7"));
        }

        // Another account signs in with its password, also from an address the guesses came from.
        using var root = RateLimitProbe.NewBrowser(server);
        using var rootIn = await RateLimitProbe.SignInAsync(root, "root", await RootPasswordAsync(server), forwardedFor: "198.51.100.1");
        Assert.Equal(HttpStatusCode.Redirect, rootIn.StatusCode);
    }

    [Fact]
    public async Task One_address_guessing_a_password_is_stopped_but_cannot_lock_the_account_for_everyone()
    {
        await using var server = await StartAsync(new AuthThrottleOptions()); // the defaults: 10 per address and account, 50 per account
        await AddAliceAsync(server);
        using var attacker = RateLimitProbe.NewBrowser(server);
        for (var i = 1; i <= 10; i++)
        {
            using var wrong = await RateLimitProbe.SignInAsync(attacker, "alice", "guess " + i, forwardedFor: "198.51.100.66");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using (var stopped = await RateLimitProbe.SignInAsync(attacker, "alice", AlicePassword, forwardedFor: "198.51.100.66"))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, stopped.StatusCode);
        }

        using var alice = RateLimitProbe.NewBrowser(server);
        using var signedIn = await RateLimitProbe.SignInAsync(alice, "alice", AlicePassword, forwardedFor: "203.0.113.8");
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
    }

    [Fact]
    public async Task Junk_tokens_from_an_address_do_not_stop_a_right_password_from_it()
    {
        await using var server = await StartAsync(new AuthThrottleOptions { FailuresPerAddress = 5 });
        await AddAliceAsync(server);
        Assert.All(await RateLimitProbe.SendJunkAsync(server.Http, 8, forwardedFor: "192.0.2.44"), s => Assert.NotEqual(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, await RateLimitProbe.GetUserAsync(server.Http, "glpat-more-junk", forwardedFor: "192.0.2.44"));

        using var alice = RateLimitProbe.NewBrowser(server);
        using var signedIn = await RateLimitProbe.SignInAsync(alice, "alice", AlicePassword, forwardedFor: "192.0.2.44");
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
    }

    private static Task<TestServer> StartAsync(AuthThrottleOptions throttle) =>
        TestServer.StartAsync(Stores.Sqlite, configure: o => o with
        {
            AuthThrottle = throttle,
            TrustedProxies = [System.Net.IPNetwork.Parse("127.0.0.1/32")],
        });

    /// <summary>Adds the user alice with a password and a token; returns the token.</summary>
    private static async Task<string> AddAliceAsync(TestServer server)
    {
        var identity = server.Host.Stores.Identity;
        var alice = await identity.AddUserAsync("alice", false, DateTimeOffset.UtcNow);
        Assert.True(await identity.SetPasswordIfUnsetAsync("alice", Passwords.Hash(AlicePassword)));
        var token = "glpat-alice-" + Guid.NewGuid().ToString("N");
        await identity.AddPersonalAccessTokenAsync(alice!.Id, "alice", Tokens.Hash(token), DateTimeOffset.UtcNow);
        return token;
    }

    private static async Task<string> RootPasswordAsync(TestServer server) =>
        (await File.ReadAllTextAsync(Path.Combine(server.DataDir, RootPasswordBootstrap.FileName))).Trim();
}

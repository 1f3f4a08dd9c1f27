using Microsoft.Extensions.Time.Testing;
using Relais.Server.Security;

namespace Relais.Server.Tests.Hostile;

/// <summary>The counting of <see cref="AuthThrottle"/> on its own, on a fake clock.</summary>
public sealed class RateLimitThrottleTests
{
    private static readonly AuthThrottleOptions Options = new()
    {
        FailuresPerKey = 3, FailuresPerAddress = 5, FailuresPerAccount = 7, Window = TimeSpan.FromMinutes(1), AccountWindow = TimeSpan.FromMinutes(10),
    };

    [Fact]
    public void A_client_over_its_limit_is_refused_until_the_window_ends_and_refused_attempts_do_not_extend_it()
    {
        var clock = new FakeTimeProvider();
        var throttle = new AuthThrottle(Options, clock);
        for (var i = 0; i < 3; i++)
        {
            Assert.Null(throttle.Fail(AuthAttempt.Token("192.0.2.1", "glpat-AAAA")));
        }

        clock.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(TimeSpan.FromSeconds(40), throttle.Fail(AuthAttempt.Token("192.0.2.1", "glpat-AAAA")));
        Assert.Null(throttle.Fail(AuthAttempt.Token("192.0.2.1", "glpat-BBBB"))); // another prefix: the address has room
        Assert.Null(throttle.Fail(AuthAttempt.Token("192.0.2.2", "glpat-AAAA"))); // another address
        clock.Advance(TimeSpan.FromSeconds(40));
        Assert.Null(throttle.Fail(AuthAttempt.Token("192.0.2.1", "glpat-AAAA")));
    }

    [Fact]
    public void An_account_locks_only_when_failures_for_it_come_from_several_addresses()
    {
        var clock = new FakeTimeProvider();
        var throttle = new AuthThrottle(Options, clock);

        // One address: 3 per 10 minutes for one account, whatever the per-minute windows do; never 7.
        for (var minute = 0; minute < 10; minute++)
        {
            throttle.Fail(AuthAttempt.Password("192.0.2.1", "alice"));
            clock.Advance(TimeSpan.FromMinutes(1) / 3);
        }

        Assert.NotNull(throttle.AccountLocked(AuthAttempt.Password("192.0.2.1", "alice")));
        Assert.Null(throttle.AccountLocked(AuthAttempt.Password("192.0.2.2", "alice")));

        // Three addresses more: 3 + 2 + 2 = 7, and the account is locked from everywhere, for its window.
        for (var i = 0; i < 2; i++)
        {
            Assert.Null(throttle.Fail(AuthAttempt.Password("192.0.2.2", "alice")));
            Assert.Null(throttle.Fail(AuthAttempt.Password("192.0.2.3", "alice")));
        }

        Assert.NotNull(throttle.AccountLocked(AuthAttempt.Password("198.51.100.1", "alice")));
        Assert.Null(throttle.AccountLocked(AuthAttempt.Password("198.51.100.1", "bob")));
        clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Null(throttle.AccountLocked(AuthAttempt.Password("198.51.100.1", "alice")));
    }

    [Fact]
    public void Junk_tokens_fill_the_address_count_but_not_the_lock_of_password_sign_in()
    {
        var throttle = new AuthThrottle(Options, new FakeTimeProvider());
        for (var i = 0; i < 5; i++)
        {
            Assert.Null(throttle.Fail(AuthAttempt.Token("192.0.2.1", $"glpat-{i:D4}")));
        }

        Assert.NotNull(throttle.Fail(AuthAttempt.Token("192.0.2.1", "glpat-more")));
        Assert.Null(throttle.AccountLocked(AuthAttempt.Password("192.0.2.1", "alice")));
        Assert.NotNull(throttle.Fail(AuthAttempt.Password("192.0.2.1", "alice"))); // a wrong one is still refused
    }

    [Fact]
    public void Git_usernames_are_counted_across_addresses_apart_from_web_sign_in()
    {
        var throttle = new AuthThrottle(Options with { FailuresPerKey = 100 }, new FakeTimeProvider());
        for (var i = 0; i < 7; i++)
        {
            Assert.Null(throttle.Fail(AuthAttempt.Token($"192.0.2.{i}", $"glpat-{i:D4}", gitUser: "alice")));
        }

        Assert.NotNull(throttle.Fail(AuthAttempt.Token("198.51.100.1", "glpat-next", gitUser: "alice")));
        Assert.Null(throttle.AccountLocked(AuthAttempt.Password("198.51.100.1", "alice")));
    }
}

using System.Net;
using Relais.Server.Webhooks;

namespace Relais.Server.Tests.Webhooks;

/// <summary>The pure rules of webhooks: which addresses are local, the backoff and pause, the branch filter.</summary>
public sealed class WebhookRulesTests
{
    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.8.9.10", true)]
    [InlineData("10.0.0.1", true)]
    [InlineData("172.16.0.1", true)]
    [InlineData("172.31.255.255", true)]
    [InlineData("172.17.0.1", true)]
    [InlineData("192.168.1.1", true)]
    [InlineData("169.254.169.254", true)]
    [InlineData("0.0.0.0", true)]
    [InlineData("100.64.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("::", true)]
    [InlineData("fd00::1", true)]
    [InlineData("fe80::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("::ffff:10.0.0.1", true)]
    [InlineData("93.184.216.34", false)]
    [InlineData("172.32.0.1", false)]
    [InlineData("8.8.8.8", false)]
    [InlineData("2606:4700:4700::1111", false)]
    public void Local_addresses_are_loopback_private_link_local_and_unspecified(string address, bool local) =>
        Assert.Equal(local, WebhookAddresses.IsLocal(IPAddress.Parse(address)));

    [Fact]
    public void Retries_wait_twice_as_long_each_time_and_stop_after_the_last_attempt()
    {
        var options = new WebhookOptions { RetryBase = TimeSpan.FromSeconds(10), MaxAttempts = 5 };
        var now = DateTimeOffset.UnixEpoch;
        Assert.Equal(
            [10, 20, 40, 80],
            Enumerable.Range(1, 4).Select(n => (WebhookBackoff.NextAttempt(options, n, now)!.Value - now).TotalSeconds));
        Assert.Null(WebhookBackoff.NextAttempt(options, 5, now));
    }

    [Fact]
    public void A_hook_pauses_after_four_failures_in_a_row_for_a_minute_doubling_up_to_a_day()
    {
        var options = new WebhookOptions();
        var now = DateTimeOffset.UnixEpoch;
        Assert.Null(WebhookBackoff.PauseUntil(options, 3, now));
        Assert.Equal(TimeSpan.FromMinutes(1), WebhookBackoff.PauseUntil(options, 4, now) - now);
        Assert.Equal(TimeSpan.FromMinutes(2), WebhookBackoff.PauseUntil(options, 5, now) - now);
        Assert.Equal(TimeSpan.FromDays(1), WebhookBackoff.PauseUntil(options, 400, now) - now);
    }

    [Theory]
    [InlineData("", "main", true)]
    [InlineData("main", "main", true)]
    [InlineData("main", "maintenance", false)]
    [InlineData("release/*", "release/1.0", true)]
    [InlineData("release/*", "feature/x", false)]
    [InlineData("*-stable", "15-0-stable", true)]
    [InlineData("a.b", "axb", false)]
    public void The_branch_filter_matches_wildcards(string filter, string branch, bool matches) =>
        Assert.Equal(matches, WebhookBranchFilter.Matches(filter, branch));
}

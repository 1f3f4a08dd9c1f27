using Relais.Server.Storage;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Webhooks;

/// <summary>The delivery queue on both stores: each due delivery is claimed once, however many senders race for it.</summary>
public sealed class WebhookStoreTests
{
    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task Racing_senders_claim_each_due_delivery_once_and_a_recorded_failure_waits_for_its_retry(string store)
    {
        // The server's own sender sleeps (an hour between looks, never woken: deliveries are stored directly).
        await using var server = await WebhookServer.StartAsync(store, allowLocal: true, o => o with { PollInterval = TimeSpan.FromHours(1) });
        var hooks = server.Host.Stores.Webhooks;
        var project = await server.Host.Stores.Projects.EnsureProjectAsync("root/demo", "main", DateTimeOffset.UtcNow);
        var hook = await hooks.AddAsync(new WebhookRecord { ProjectId = project.Id, Url = "http://example.com/hook", Events = "pipeline_events" }, DateTimeOffset.UtcNow);
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < 40; i++)
        {
            await hooks.EnqueueAsync(new WebhookDeliveryRecord { HookId = hook.Id, ProjectId = project.Id, Event = "Pipeline Hook", HookTrigger = "pipeline_events", Uuid = Guid.NewGuid().ToString(), Payload = "{}" }, now);
        }

        var later = now.AddSeconds(1);
        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => hooks.ClaimDueAsync(later, TimeSpan.FromMinutes(10), 10))));
        var claimed = claims.SelectMany(c => c).Select(d => d.Id).ToList();
        Assert.Equal(40, claimed.Count);
        Assert.Equal(40, claimed.Distinct().Count());
        Assert.Empty(await hooks.ClaimDueAsync(later, TimeSpan.FromMinutes(1), 10)); // all held

        var first = claims.SelectMany(c => c).First();
        await hooks.RecordAttemptAsync(first, new WebhookAttempt(500, "boom", null, TimeSpan.FromMilliseconds(5)), WebhookDeliveryStates.Pending, later.AddMinutes(5), null, later);
        Assert.Empty(await hooks.ClaimDueAsync(later.AddMinutes(4), TimeSpan.FromMinutes(1), 10));
        var again = Assert.Single(await hooks.ClaimDueAsync(later.AddMinutes(5), TimeSpan.FromMinutes(1), 10));
        Assert.Equal((first.Id, 1, 500, "boom"), (again.Id, again.Attempts, again.ResponseStatus, again.ResponseExcerpt));
        Assert.Equal(1, (await hooks.GetAsync(project.Id, hook.Id))!.RecentFailures);

        // Lapsed claims are taken again (a coordinator died mid-send).
        Assert.Equal(40, (await hooks.ClaimDueAsync(later.AddMinutes(11), TimeSpan.FromMinutes(1), 100)).Count);
    }
}

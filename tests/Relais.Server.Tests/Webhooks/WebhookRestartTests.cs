using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Webhooks;

/// <summary>A delivery that could not be made yet is a row: it is sent after the server restarts.</summary>
public sealed class WebhookRestartTests
{
    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task A_delivery_pending_when_the_server_stops_is_sent_after_it_starts_again(string store)
    {
        var port = FreePorts.Next(); // nobody listens there yet: the first attempt is refused
        var first = await WebhookServer.StartAsync(store, allowLocal: true, o => o with { RetryBase = TimeSpan.FromSeconds(1) });
        first.KeepData = true;
        long hook;
        try
        {
            hook = await WebhookServer.AddHookAsync(first, $$"""{"url":"http://127.0.0.1:{{port}}/hook","push_events":false,"pipeline_events":true}""");
            await first.CreatePipelineAsync("build:\n  script: [echo hi]\n");
            await WebhookServer.EventWhereAsync(first, hook, e => e.GetProperty("attempts").GetInt32() == 1);
        }
        finally
        {
            await first.DisposeAsync();
        }

        await using var listener = new HookListener(port);
        await using var second = await TestServer.StartAsync(store, first.DataDir, database: first.Database, configure: o => o with
        {
            Webhooks = new Relais.Server.Webhooks.WebhookOptions { AllowLocal = true, PollInterval = TimeSpan.FromMilliseconds(100) },
        });

        var received = await listener.NextAsync();
        Assert.Equal("Pipeline Hook", received.Event);
        var delivered = await WebhookServer.EventWhereAsync(second, hook, e => e.GetProperty("state").GetString() == "delivered");
        Assert.True(delivered.GetProperty("attempts").GetInt32() >= 2); // one or two refused before the stop (1 s retries), then this one
    }
}

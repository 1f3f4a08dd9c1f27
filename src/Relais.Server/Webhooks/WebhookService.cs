using Relais.Server.Git;
using Relais.Server.Security;
using Relais.Server.Storage;

namespace Relais.Server.Webhooks;

/// <summary>
/// Outgoing webhooks, started with the server: the <see cref="WebhookSender"/> loop, and a loop that turns the
/// driver's status changes (<see cref="WebhookPipelineHooks.Changes"/>) into pipeline and job events. A change is
/// read from memory, so one made just before a crash may send no event; a queued delivery is a row and is never lost.
/// </summary>
public sealed class WebhookService : IAsyncDisposable
{
    private readonly WebhookPipelineHooks _hooks;
    private readonly TextWriter _output;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _changes;

    internal WebhookService(AggregateStores stores, WebhookPipelineHooks hooks, ServerOptions options, SecretBox secrets)
    {
        _hooks = hooks;
        _output = options.Output;
        Sender = new WebhookSender(stores.Webhooks, options.Webhooks, secrets, options.Time, options.ExternalUrl!, options.Output);
        Events = new WebhookEvents(stores.Webhooks, stores.Pipelines, stores.Projects, stores.Runners, Sender, new CloneUrls(options.ExternalUrl!, options.SshUrlBase), options.Time);
        Sender.Start();
        _changes = Task.Run(() => RunAsync(_stop.Token));
    }

    public WebhookSender Sender { get; }

    public WebhookEvents Events { get; }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _changes;
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        await Sender.DisposeAsync();
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken stop)
    {
        await foreach (var change in _hooks.Changes.ReadAllAsync(stop))
        {
            try
            {
                if (change.Job is { } job)
                {
                    await Events.JobChangedAsync(change.PipelineId, job, change.Attempt, change.Status, stop);
                }
                else
                {
                    await Events.PipelineChangedAsync(change.PipelineId, change.Status, stop);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException && e is not OutOfMemoryException)
            {
                _output.WriteLine($"relais: webhook event of pipeline {change.PipelineId}: {e.GetType().Name}: {Relais.Protocol.LogText.Safe(e.Message)}");
            }
        }
    }
}

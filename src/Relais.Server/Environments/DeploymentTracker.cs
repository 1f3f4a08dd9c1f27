using Relais.Protocol;
using Relais.Server.Storage;

namespace Relais.Server.Environments;

/// <summary>
/// Keeps deployments moving with their jobs, started with the server: first a pass over what a crash may have left
/// behind (pipelines still running, and those with a deployment not finished: a job that finished just before the
/// server stopped), then every pipeline <see cref="DeploymentPipelineHooks"/> reports, each with <see cref="DeploymentSync"/>.
/// A change is read from memory, so the restart pass is what makes a crash lose nothing.
/// </summary>
public sealed class DeploymentTracker : IAsyncDisposable
{
    private static readonly CiStatus[] Unfinished =
        [CiStatus.Created, CiStatus.WaitingForResource, CiStatus.Preparing, CiStatus.Pending, CiStatus.Running, CiStatus.Canceling, CiStatus.Manual, CiStatus.Scheduled];

    private readonly CancellationTokenSource _stop = new();
    private readonly DeploymentPipelineHooks _hooks;
    private readonly AggregateStores _stores;
    private readonly TextWriter _log;
    private Task? _loop;
    private int _disposed;

    public DeploymentTracker(DeploymentPipelineHooks hooks, AggregateStores stores, DeploymentSync sync, TextWriter log)
    {
        _hooks = hooks;
        _stores = stores;
        _log = log;
        Sync = sync;
    }

    public DeploymentSync Sync { get; }

    /// <summary>What follows a deployment's move (the API's deployments go through it too).</summary>
    public required DeploymentEffects Effects { get; init; }

    /// <summary>Starts the restart pass and then the loop.</summary>
    public void Start() => _loop ??= Task.Run(() => RunAsync(_stop.Token));

    /// <summary>Stops the loop (again: nothing); changes reported afterwards wait for the next start's pass.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync();
        if (_loop is { } loop)
        {
            try
            {
                await loop;
            }
            catch (OperationCanceledException)
            {
                // Stopped.
            }
        }

        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken stop)
    {
        var left = new SortedSet<long>(await _stores.Pipelines.PipelinesWithJobsAsync(Unfinished, stop));
        left.UnionWith(await _stores.Deployments.UnfinishedPipelinesAsync(stop));
        foreach (var pipelineId in left)
        {
            await SyncAsync(pipelineId, stop);
        }

        var reader = _hooks.Changed;
        while (await reader.WaitToReadAsync(stop))
        {
            // Several changes of one pipeline waiting together need one look.
            var batch = new List<long>();
            while (reader.TryRead(out var id))
            {
                if (!batch.Contains(id))
                {
                    batch.Add(id);
                }
            }

            foreach (var pipelineId in batch)
            {
                await SyncAsync(pipelineId, stop);
            }
        }
    }

    private async Task SyncAsync(long pipelineId, CancellationToken stop)
    {
        // A database error is usually brief (a lost connection, a serialization conflict): try twice more before leaving
        // the pipeline to its next change or the next start's pass.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await Sync.SyncAsync(pipelineId, stop);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException && e is not OutOfMemoryException)
            {
                if (attempt < 3)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(250 * attempt), stop);
                    continue;
                }

                await _log.WriteLineAsync($"relais: the deployments of pipeline {pipelineId}: {e.GetType().Name}: {Relais.Protocol.LogText.Safe(e.Message)}");
                return;
            }
        }
    }
}

using Relais.Dispatch.Downstream;
using Relais.Driver;
using Relais.Engine;
using Relais.Protocol;
using Relais.Server.Storage;

namespace Relais.Server.Pipelines.Downstream;

/// <summary>
/// Carries bridge jobs through, one <see cref="BridgeWork"/> at a time from the <see cref="BridgeInbox"/> (a bridge is never
/// given to a runner). A pending bridge is started (the engine's start is the claim: one coordinator wins it), its
/// downstream pipeline created (<see cref="DownstreamCreator"/>), and then, as GitLab does: a failure fails the bridge with
/// the reason; without <c>strategy: depend</c> the bridge succeeds at once; with it the bridge stays running and mirrors the
/// downstream pipeline's final status (success, failed, canceled). A running bridge that is canceled cancels its downstream
/// pipeline; a canceled pipeline cancels its child pipelines. At start, bridges left pending or running by a stopped
/// coordinator are taken up again.
/// </summary>
#pragma warning disable CA1001 // _stop lives as long as the server; Stop cancels it
internal sealed class DownstreamPipelines(
    BridgeInbox inbox, IPipelineStore pipelines, IDownstreamStore links, PipelineDriver driver, DownstreamCreator creator, TimeProvider time, TextWriter log)
{
    private readonly CancellationTokenSource _stop = new();
#pragma warning restore CA1001

    /// <summary>Starts the loop (its first pass takes up the open bridges).</summary>
    public void Start() => _ = Task.Run(() => RunAsync(_stop.Token));

    /// <summary>Ends the loop (the server is stopping); work not yet done is taken up at the next start.</summary>
    public void Stop() => _stop.Cancel();

    private async Task RunAsync(CancellationToken stop)
    {
        try
        {
            await ResumeAsync(stop);
            await foreach (var work in inbox.Reader.ReadAllAsync(stop))
            {
                try
                {
                    await DoAsync(work, stop);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log.WriteLine($"relais: a bridge job could not be handled ({work}): {e.GetType().Name}: {LogText.Safe(e.Message)}");
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The server is stopping.
        }
    }

    /// <summary>Bridges a stopped coordinator left: pending ones start now, running ones catch up with their downstream pipeline.</summary>
    private async Task ResumeAsync(CancellationToken stop)
    {
        try
        {
            foreach (var bridge in await links.OpenBridgesAsync(1000, stop))
            {
                if (bridge.Status == CiStatus.Pending)
                {
                    inbox.Post(new BridgePending(bridge.PipelineId, bridge.Name, bridge.Attempt));
                }
                else if (await links.DownstreamOfAsync([bridge.Id], stop) is [.., var link])
                {
                    inbox.Post(new PipelineSettled(link.Pipeline.Id, link.Pipeline.Status));
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.WriteLine($"relais: open bridge jobs could not be read: {e.GetType().Name}: {LogText.Safe(e.Message)}");
        }
    }

    private Task DoAsync(BridgeWork work, CancellationToken stop) => work switch
    {
        BridgePending pending => TriggerAsync(pending, stop),
        RunningJobCanceled canceled => CancelBridgeAsync(canceled, stop),
        PipelineSettled settled => SettleAsync(settled.PipelineId, stop),
        _ => Task.CompletedTask,
    };

    private async Task TriggerAsync(BridgePending pending, CancellationToken stop)
    {
        if (await driver.ApplyAsync(pending.PipelineId, new JobStarted(time.GetUtcNow(), pending.Job, pending.Attempt)) is not { } step)
        {
            return; // canceled meanwhile, or another coordinator took it
        }

        var row = await pipelines.GetPipelineAsync(pending.PipelineId, stop) ?? throw new InvalidOperationException($"pipeline {pending.PipelineId} is gone");
        var bridge = (await pipelines.CurrentJobsAsync(pending.PipelineId, stop)).First(j => j.Name == pending.Job && j.Attempt == pending.Attempt);
        DownstreamOutcome outcome;
        try
        {
            outcome = await creator.CreateAsync(row, step.State, bridge, stop);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.WriteLine($"relais: the downstream pipeline of job {bridge.Id} could not be created: {e.GetType().Name}: {LogText.Safe(e.Message)}");
            outcome = DownstreamOutcome.Failed(FailureReasons.DownstreamPipelineCreationFailed);
        }

        var now = time.GetUtcNow();
        if (!outcome.IsCreated || outcome.FailureReason is not null)
        {
            await driver.ApplyAsync(pending.PipelineId, JobFinished.Failure(now, pending.Job, pending.Attempt, outcome.FailureReason!));
        }
        else if (!BridgeTrigger.From(step.State.Plan.Job(pending.Job)!.Trigger!).Depend)
        {
            await driver.ApplyAsync(pending.PipelineId, JobFinished.Success(now, pending.Job, pending.Attempt));
        }
        else if (outcome.Status is { } status && status.IsCompleted())
        {
            await MirrorAsync(bridge, status);
        }
    }

    /// <summary>A pipeline settled: the <c>depend</c> bridge that created it takes its status; a canceled one cancels its children.</summary>
    private async Task SettleAsync(long pipelineId, CancellationToken stop)
    {
        if (await pipelines.GetPipelineAsync(pipelineId, stop) is not { } row)
        {
            return;
        }

        if (row.Status == CiStatus.Canceled)
        {
            // A parent's cancel reaches its child pipelines (same project); multi-project ones follow their bridge.
            await CancelAllAsync((await links.DownstreamPipelinesAsync(pipelineId, stop)).Where(p => p.ProjectId == row.ProjectId));
        }

        if (await links.UpstreamOfAsync(pipelineId, stop) is { } up
            && await pipelines.GetJobAsync(up.BridgeJobId, stop) is { Status: CiStatus.Running } bridge
            && await pipelines.GetPipelineStateAsync(bridge.PipelineId, stop) is { State: { } state }
            && state.Plan.Job(bridge.Name)?.Trigger is { } trigger && BridgeTrigger.From(trigger).Depend
            && row.Status.IsCompleted())
        {
            await MirrorAsync(bridge, row.Status);
        }
    }

    private async Task MirrorAsync(JobRecord bridge, CiStatus downstream)
    {
        var now = time.GetUtcNow();
        PipelineEvent e = downstream switch
        {
            CiStatus.Success or CiStatus.Skipped => JobFinished.Success(now, bridge.Name, bridge.Attempt),
            CiStatus.Canceled => new JobCanceled(now, bridge.Name, bridge.Attempt),
            _ => JobFinished.Failure(now, bridge.Name, bridge.Attempt, FailureReasons.UnknownFailure),
        };
        await driver.ApplyAsync(bridge.PipelineId, e);
    }

    /// <summary>A running attempt was canceled: when it is a bridge, no runner will confirm it, so it is canceled here, with its downstream pipeline.</summary>
    private async Task CancelBridgeAsync(RunningJobCanceled canceled, CancellationToken stop)
    {
        if (await pipelines.GetPipelineStateAsync(canceled.PipelineId, stop) is not { State: { } state } || state.Plan.Job(canceled.Job)?.IsTrigger != true)
        {
            return;
        }

        await driver.ApplyAsync(canceled.PipelineId, new JobCanceled(time.GetUtcNow(), canceled.Job, canceled.Attempt));
        if ((await pipelines.CurrentJobsAsync(canceled.PipelineId, stop)).FirstOrDefault(j => j.Name == canceled.Job && j.Attempt == canceled.Attempt) is { } bridge)
        {
            await CancelAllAsync([.. (await links.DownstreamOfAsync([bridge.Id], stop)).Select(l => l.Pipeline)]);
        }
    }

    private async Task CancelAllAsync(IEnumerable<PipelineRecord> downstream)
    {
        foreach (var pipeline in downstream.Where(p => !p.Status.IsCompleted() && p.HasState))
        {
            await driver.ApplyAsync(pipeline.Id, new PipelineCancelRequested(time.GetUtcNow()));
        }
    }
}

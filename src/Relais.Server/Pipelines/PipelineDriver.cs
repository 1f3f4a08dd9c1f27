using System.Collections.Concurrent;
using Relais.Engine;
using Relais.Server.Queue;
using Relais.Server.Storage;

namespace Relais.Server.Pipelines;

/// <summary>
/// Applies engine events to stored pipelines: one at a time per pipeline (an in-process lock; the database
/// transaction is the guard across processes), compute-then-persist through <see cref="IPipelineStore.TransitionAsync"/>,
/// then performs the effects that live outside the database: waking the queue for new pending jobs, and
/// arming a timer for each <see cref="ScheduleWakeUp"/> (delayed jobs, the job watchdog) that applies
/// <see cref="TimePassed"/> when due.
/// </summary>
public sealed class PipelineDriver(IPipelineStore store, QueueSignal signal, TimeProvider time)
{
    private readonly ConcurrentDictionary<long, SemaphoreSlim> _locks = new();
    private readonly ResourceGroups _resources = new(store);

    /// <summary>Applies <paramref name="e"/> to an existing pipeline. Null when the engine rejected it (nothing changed).</summary>
    public Task<EngineStep?> ApplyAsync(long pipelineId, PipelineEvent e, JobClaim? claim = null) =>
        TransitionAsync(pipelineId, state => PipelineEngine.Apply(
            state ?? throw new InvalidOperationException($"pipeline {pipelineId} has no engine state"), e), claim);

    /// <summary>Runs <paramref name="decide"/> on the stored state (null for a new pipeline) and persists its step.</summary>
    public async Task<EngineStep?> TransitionAsync(long pipelineId, Func<PipelineState?, EngineStep> decide, JobClaim? claim = null)
    {
        var gate = _locks.GetOrAdd(pipelineId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync();
        EngineStep? step;
        try
        {
            step = await store.TransitionAsync(pipelineId, decide, claim);
        }
        finally
        {
            gate.Release();
        }

        if (step is not null && step.EffectsOf<EnqueueJob>().Any())
        {
            signal.Notify();
        }

        foreach (var wake in step?.EffectsOf<ScheduleWakeUp>() ?? [])
        {
            _ = WakeAsync(pipelineId, wake.At);
        }

        if (step is not null && step.EffectsOf<ResourceEffect>().Any())
        {
            await ResourcesAsync(pipelineId, step);
        }

        return step;
    }

    /// <summary>Hands out resource groups: a request is granted when the group is free, a release grants the next in line.</summary>
    private async Task ResourcesAsync(long pipelineId, EngineStep step)
    {
        var project = (await store.GetPipelineAsync(pipelineId))?.ProjectId ?? 0;
        var grants = new List<(long Pipeline, string Job, int Attempt)>();
        foreach (var effect in step.EffectsOf<ResourceEffect>())
        {
            var grant = effect switch
            {
                RequestResource request => await _resources.RequestAsync(project, pipelineId, request),
                ReleaseResource release => await _resources.ReleaseAsync(project, pipelineId, release),
                _ => null,
            };
            if (grant is { } g)
            {
                grants.Add(g);
            }
        }

        foreach (var (pipeline, job, attempt) in grants)
        {
            await ApplyAsync(pipeline, new ResourceGranted(time.GetUtcNow(), job, attempt));
        }
    }

    /// <summary>Arms a timer that applies <see cref="TimePassed"/> at <paramref name="at"/> (re-arming after a restart).</summary>
    public void Arm(long pipelineId, DateTimeOffset at) => _ = WakeAsync(pipelineId, at);

    /// <summary>Applies <see cref="TimePassed"/> to the pipeline once <paramref name="at"/> has come.</summary>
    private async Task WakeAsync(long pipelineId, DateTimeOffset at)
    {
        var delay = at - time.GetUtcNow();
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, time);
        }

        try
        {
            var now = time.GetUtcNow();
            await ApplyAsync(pipelineId, new TimePassed(now < at ? at : now)); // a timer may fire a hair early
        }
#pragma warning disable CA1031 // a timer firing after shutdown or for a deleted pipeline has no one to report to
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}

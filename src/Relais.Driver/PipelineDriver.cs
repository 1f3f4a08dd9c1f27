using Relais.Engine;
using Relais.Pipelines.Plan;

namespace Relais.Driver;

/// <summary>
/// The one driver around the pure <see cref="PipelineEngine"/>, for every host (<c>relais serve</c>, <c>relais run</c>)
/// and every way a pipeline is made (API, push, trigger, schedule, child pipeline, GitOps). For each event it:
/// <list type="number">
/// <item>waits for the pipeline's turn (one event at a time per pipeline in this process; the store guards across
/// processes), then computes and persists the step in one <see cref="IPipelineStateStore.TransitionAsync"/>;</item>
/// <item>hands the step's effects to the host (<see cref="IPipelineHooks"/>, in order, still in the turn), arms a timer
/// for each <see cref="ScheduleWakeUp"/> and feeds each <see cref="ResourceEffect"/> to its group's
/// <see cref="ResourceGroupMachine"/> through <see cref="IResourceGroupStore"/> (still in the turn, so a pipeline's
/// claims reach a group in order);</item>
/// <item>ends the turn, then applies <see cref="ResourceGranted"/> to each pipeline a group was handed to.</item>
/// </list>
/// Contract: every method may be called concurrently, for the same or different pipelines. Methods return after
/// the step and its grants are persisted; a store's exception propagates and leaves the pipeline as it was.
/// Time comes from the injected <see cref="TimeProvider"/> (and from events). <see cref="StopAsync"/> (or
/// <see cref="DisposeAsync"/>) stops the timers; it is idempotent and the driver may still apply events afterwards
/// (their wake-ups are no longer armed: a host re-arms stored ones at its next start).
/// </summary>
public sealed partial class PipelineDriver : IAsyncDisposable
{
    private readonly IPipelineStateStore _pipelines;
    private readonly IResourceGroupStore _groups;
    private readonly IPipelineHooks _hooks;
    private readonly TimeProvider _time;
    private readonly KeyedGate _gate = new();
    private readonly TimerSet _timers;

    /// <param name="pipelines">Where pipeline states are kept.</param>
    /// <param name="groups">Where resource groups are kept.</param>
    /// <param name="hooks">What the host does with enqueued, canceled and changed jobs.</param>
    /// <param name="time">The clock for timers and for the events the driver makes itself (grants, wake-ups).</param>
    /// <param name="timerFailed">Told when a timer's event could not be applied (the database was down, the pipeline
    /// is gone); it runs on the timer's thread and must not throw.</param>
    public PipelineDriver(IPipelineStateStore pipelines, IResourceGroupStore groups, IPipelineHooks hooks, TimeProvider time, Action<long, Exception> timerFailed)
    {
        ArgumentNullException.ThrowIfNull(pipelines);
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(hooks);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(timerFailed);
        (_pipelines, _groups, _hooks, _time) = (pipelines, groups, hooks, time);
        _timers = new TimerSet(time, WakeAsync, timerFailed);
    }

    /// <summary>Pipelines holding or waiting for a turn right now (zero when idle: turns are freed).</summary>
    internal int ActiveTurns => _gate.Count;

    /// <summary>Timers armed or firing.</summary>
    internal int ActiveTimers => _timers.Count;

    /// <summary>
    /// Starts pipeline <paramref name="pipelineId"/> from its plan (<see cref="PipelineEngine.Create"/>): every job
    /// created, the first ones enqueued. Returns the first step.
    /// </summary>
    /// <exception cref="ArgumentException">The plan has two jobs with one name (a compiler bug).</exception>
    public async Task<EngineStep> CreateAsync(long pipelineId, PipelinePlan plan, DateTimeOffset createdAt)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return await StepAsync(pipelineId, _ => PipelineEngine.Create(plan, pipelineId, createdAt), null)
            ?? throw new InvalidOperationException($"pipeline {pipelineId} was not created");
    }

    /// <summary>
    /// Applies <paramref name="e"/> to an existing pipeline. With a <paramref name="claim"/> (a runner taking the
    /// job), the store's conditional update guards it. Null when the engine rejected the event or the claim was lost
    /// (nothing changed).
    /// </summary>
    /// <exception cref="InvalidOperationException">The pipeline has no engine state.</exception>
    public Task<EngineStep?> ApplyAsync(long pipelineId, PipelineEvent e, JobClaim? claim = null)
    {
        ArgumentNullException.ThrowIfNull(e);
        return StepAsync(pipelineId, state => PipelineEngine.Apply(Existing(pipelineId, state), e), claim);
    }

    /// <summary>
    /// Applies <paramref name="e"/> only if <paramref name="guard"/> holds on the current state, checked in the same
    /// turn and transaction as the step (a job is failed once, and not after it moved on). Null when the guard
    /// failed or the engine rejected the event.
    /// </summary>
    public Task<EngineStep?> ApplyIfAsync(long pipelineId, Func<PipelineState, bool> guard, PipelineEvent e)
    {
        ArgumentNullException.ThrowIfNull(guard);
        ArgumentNullException.ThrowIfNull(e);
        return StepAsync(
            pipelineId,
            state => guard(Existing(pipelineId, state)) ? PipelineEngine.Apply(state!, e)
                : new EngineStep(state!, [], new EngineRejection("guard_failed", "the pipeline moved on")),
            null);
    }

    /// <summary>Arms the wake-up of a stored pipeline (a host re-arming after a restart). Idempotent per time.</summary>
    public void Arm(long pipelineId, DateTimeOffset at) => _timers.Arm(pipelineId, at);

    /// <summary>Stops the timers and waits, until <paramref name="cancel"/>, for the ones firing. Idempotent.</summary>
    public Task StopAsync(CancellationToken cancel = default) => _timers.StopAsync(cancel);

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task<EngineStep?> StepAsync(long pipelineId, Func<PipelineState?, EngineStep> decide, JobClaim? claim)
    {
        List<ResourceClaimant>? grants;
        EngineStep? step;
        using (await _gate.EnterAsync(pipelineId))
        {
            EngineStep? decided = null;
            step = await _pipelines.TransitionAsync(pipelineId, state => decided = decide(state), claim);
            var hasResources = step is not null && Perform(pipelineId, step);

            // A rejected grant is not persisted, but the grant it hands back must still reach the group.
            var resources = hasResources ? step : decided is { Accepted: false, Effects.IsEmpty: false } ? decided : null;
            grants = resources is null ? null : await UpdateGroupsAsync(pipelineId, resources);
        }

        await GrantAsync(grants);
        return step;
    }

    /// <summary>Hands the step's effects to the hooks and the timers; true when it has resource effects.</summary>
    private bool Perform(long pipelineId, EngineStep step)
    {
        var resources = false;
        var enqueued = false;
        foreach (var effect in step.Effects)
        {
            switch (effect)
            {
                case EnqueueJob:
                    enqueued = true;
                    break;
                case CancelJob cancel:
                    _hooks.JobCanceled(pipelineId, cancel);
                    break;
                case JobStatusChanged changed:
                    _hooks.JobStatusChanged(pipelineId, changed);
                    break;
                case PipelineStatusChanged changed:
                    _hooks.PipelineStatusChanged(pipelineId, changed);
                    break;
                case ScheduleWakeUp wake:
                    _timers.Arm(pipelineId, wake.At);
                    break;
                case ResourceEffect:
                    resources = true;
                    break;
            }
        }

        if (enqueued)
        {
            _hooks.JobsEnqueued(pipelineId, step);
        }

        return resources;
    }

    private async Task WakeAsync(long pipelineId, DateTimeOffset at, CancellationToken stop)
    {
        stop.ThrowIfCancellationRequested();
        var now = _time.GetUtcNow();
        await ApplyAsync(pipelineId, new TimePassed(now < at ? at : now)); // a timer may fire a hair early
    }

    private static PipelineState Existing(long pipelineId, PipelineState? state) =>
        state ?? throw new InvalidOperationException($"pipeline {pipelineId} has no engine state");
}

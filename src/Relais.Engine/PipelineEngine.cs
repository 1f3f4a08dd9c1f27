using System.Collections.Immutable;
using Relais.Pipelines.Plan;
using Relais.Protocol;

namespace Relais.Engine;

/// <summary>
/// The pipeline state machine. Pure: no I/O, no clock, no threads; time comes in with events. Each call
/// returns an <see cref="EngineStep"/> (the new state plus the effects to perform) that the caller persists
/// as one unit. Call order: <see cref="Create"/> once, then <see cref="Apply"/> for each event, one at a time
/// per pipeline (the caller serialises events of one pipeline; different pipelines are independent).
/// </summary>
public static class PipelineEngine
{
    /// <summary>
    /// How long past its timeout a running job may stay silent before the engine fails it itself with
    /// <c>job_execution_timeout</c> (GitLab's timed-out-builds worker waits 15 minutes past the timeout).
    /// </summary>
    public static readonly TimeSpan WatchdogGrace = TimeSpan.FromMinutes(15);

    /// <summary>
    /// A new pipeline: every job created (attempt 1), then the first processing pass, which queues what can
    /// run at once, schedules delayed jobs, makes manual jobs manual and skips what cannot run.
    /// </summary>
    /// <exception cref="ArgumentException">The plan has two jobs with one name (a compiler bug, not a user error).</exception>
    public static EngineStep Create(PipelinePlan plan, long pipelineId, DateTimeOffset createdAt)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.Jobs.Select(j => j.Name).Distinct(StringComparer.Ordinal).Count() != plan.Jobs.Length)
        {
            throw new ArgumentException("job names in a plan must be unique (the compiler guarantees it)", nameof(plan));
        }

        var empty = new PipelineState { Id = pipelineId, Plan = plan, CreatedAt = createdAt, UpdatedAt = createdAt };
        var created = empty with
        {
            Jobs = [.. plan.Jobs.Select(j => new JobState { Name = j.Name, AllowFailure = j.AllowFailure, CreatedAt = createdAt })],
        };
        var ctx = new StepContext(created, PlanIndex.For(plan), createdAt);
        return Finish(empty, ctx);
    }

    /// <summary>Apply one event. A rejected event returns the state unchanged with the reason.</summary>
    public static EngineStep Apply(PipelineState state, PipelineEvent e)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(e);
        var now = e.At > state.UpdatedAt ? e.At : state.UpdatedAt;
        var ctx = new StepContext(state, PlanIndex.For(state.Plan), now);
        var rejection = Dispatch(ctx, e);
        if (rejection is not null)
        {
            return new EngineStep(state, ReturnUnusedGrant(state, e), rejection);
        }

        return Finish(state, ctx);
    }

    private static EngineRejection? Dispatch(StepContext ctx, PipelineEvent e) => e switch
    {
        JobStarted started => RunnerReports.Started(ctx, started),
        JobFinished finished => RunnerReports.Finished(ctx, finished),
        JobCanceled canceled => RunnerReports.Canceled(ctx, canceled),
        RunnerLost lost => RunnerReports.RunnerLost(ctx, lost),
        ResourceGranted granted => RunnerReports.Granted(ctx, granted),
        JobCancelRequested cancel => UserActions.CancelJob(ctx, cancel),
        ManualJobPlayed played => UserActions.Play(ctx, played),
        DelayedJobUnscheduled unscheduled => UserActions.Unschedule(ctx, unscheduled),
        RetryRequested retry => UserActions.Retry(ctx, retry),
        PipelineRetryRequested => UserActions.RetryPipeline(ctx),
        PipelineCancelRequested => Cancellation.CancelPipeline(ctx),
        AutoCancelRequested auto => Cancellation.AutoCancel(ctx, auto),
        TimePassed => null,
        _ => new EngineRejection("unknown_event", $"the engine does not know {e.GetType().Name}"),
    };

    // Let time act and the processing pass decide, until both are quiet; then freeze and compare.
    private static EngineStep Finish(PipelineState before, StepContext ctx)
    {
        do
        {
            JobProcessor.Process(ctx);
        }
        while (Clock.Advance(ctx));

        var after = Summarize(before, ctx);
        return new EngineStep(after, EffectPlanner.Diff(before, after));
    }

    private static PipelineState Summarize(PipelineState before, StepContext ctx)
    {
        var jobs = ctx.Snapshot();
        var status = CompositeStatus.Of(jobs.Where(j => !j.Retried), dag: false) ?? CiStatus.Success;
        var started = before.StartedAt ?? (jobs.Any(j => j.StartedAt is not null) ? ctx.Now : null);
        DateTimeOffset? finished = !status.IsCompleted() ? null
            : status == before.Status && before.FinishedAt is { } kept ? kept
            : ctx.Now;
        return before with
        {
            Jobs = jobs,
            Status = status,
            UpdatedAt = ctx.Now,
            StartedAt = started,
            FinishedAt = finished,
            AutoCanceledBy = ctx.AutoCanceledBy,
        };
    }

    // A grant that arrives for an attempt that no longer waits must go back, or the group stays held forever.
    private static ImmutableArray<EngineEffect> ReturnUnusedGrant(PipelineState state, PipelineEvent e) =>
        e is ResourceGranted g && state.Plan.Job(g.Job)?.ResourceGroup is { } group
            ? [new ReleaseResource(group, g.Job, g.Attempt)]
            : [];
}

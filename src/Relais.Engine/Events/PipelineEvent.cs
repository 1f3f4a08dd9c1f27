using Relais.Protocol;

namespace Relais.Engine;

/// <summary>
/// Something that happened to a pipeline, with the time it happened. Time only enters the engine this way:
/// the engine never reads a clock. Events about one job attempt name the attempt, so a late report about
/// an attempt that was already retried or canceled is recognised and ignored.
/// </summary>
/// <param name="At">When it happened (the engine clamps it so time never goes backwards).</param>
public abstract record PipelineEvent(DateTimeOffset At);

/// <summary>A runner picked the attempt and started it (pending → running).</summary>
/// <param name="Timeout">The effective timeout the job was dispatched with (the job's, capped by the runner);
/// null to use the plan's. The engine arms a server-side watchdog from it.</param>
public sealed record JobStarted(DateTimeOffset At, string Job, int Attempt, TimeSpan? Timeout = null) : PipelineEvent(At);

/// <summary>The runner reported the attempt's final result.</summary>
/// <param name="Succeeded">True for <c>state=success</c>.</param>
/// <param name="ExitCode">The script's exit code, when the runner sent one.</param>
/// <param name="FailureReason">A <see cref="FailureReasons"/> value; unknown or missing ones become <c>unknown_failure</c>.</param>
public sealed record JobFinished(
    DateTimeOffset At, string Job, int Attempt, bool Succeeded, int? ExitCode = null, string? FailureReason = null)
    : PipelineEvent(At)
{
    /// <summary>A successful finish.</summary>
    public static JobFinished Success(DateTimeOffset at, string job, int attempt) => new(at, job, attempt, true);

    /// <summary>A failed finish with its reason and exit code.</summary>
    public static JobFinished Failure(DateTimeOffset at, string job, int attempt, string reason, int? exitCode = null) =>
        new(at, job, attempt, false, exitCode, reason);
}

/// <summary>The attempt stopped as canceled: the runner confirmed a cancel, or the driver dropped it.</summary>
public sealed record JobCanceled(DateTimeOffset At, string Job, int Attempt) : PipelineEvent(At);

/// <summary>The runner holding the attempt is gone; the attempt fails with <c>runner_system_failure</c>.</summary>
public sealed record RunnerLost(DateTimeOffset At, string Job, int Attempt) : PipelineEvent(At);

/// <summary>Someone asked to cancel one job (its latest attempt).</summary>
public sealed record JobCancelRequested(DateTimeOffset At, string Job) : PipelineEvent(At);

/// <summary>Someone played a manual job, or chose "run now" on a delayed one.</summary>
public sealed record ManualJobPlayed(DateTimeOffset At, string Job) : PipelineEvent(At);

/// <summary>Someone unscheduled a delayed job: it becomes a manual job.</summary>
public sealed record DelayedJobUnscheduled(DateTimeOffset At, string Job) : PipelineEvent(At);

/// <summary>A tick: delayed jobs that are due get queued, and overdue running jobs time out.</summary>
public sealed record TimePassed(DateTimeOffset At) : PipelineEvent(At);

/// <summary>Someone retried one job: a new attempt is created and the old one kept as history.</summary>
public sealed record RetryRequested(DateTimeOffset At, string Job) : PipelineEvent(At);

/// <summary>Someone retried the pipeline: every failed or canceled job gets a new attempt.</summary>
public sealed record PipelineRetryRequested(DateTimeOffset At) : PipelineEvent(At);

/// <summary>Someone canceled the pipeline.</summary>
public sealed record PipelineCancelRequested(DateTimeOffset At) : PipelineEvent(At);

/// <summary>The attempt's resource group gave it the resource (see <see cref="ResourceGroupMachine"/>).</summary>
public sealed record ResourceGranted(DateTimeOffset At, string Job, int Attempt) : PipelineEvent(At);

/// <summary>
/// A newer pipeline was created on the same ref: this (older) pipeline cancels what its
/// <c>workflow:auto_cancel:on_new_commit</c> says (conservative, interruptible or none).
/// </summary>
public sealed record AutoCancelRequested(DateTimeOffset At, long NewerPipelineId) : PipelineEvent(At);

using Relais.Protocol;

namespace Relais.Engine;

/// <summary>
/// One attempt of one job. A retry keeps the old attempt (with <see cref="Retried"/> set) as history and adds
/// a new attempt with the next number, as GitLab keeps retried builds (<c>include_retried</c>).
/// </summary>
public sealed record JobState
{
    /// <summary>The job's name in the plan (<see cref="Relais.Pipelines.Plan.JobPlan.Name"/>).</summary>
    public required string Name { get; init; }

    /// <summary>1 for the first run, then 2, 3… for each retry (automatic or asked for).</summary>
    public int Attempt { get; init; } = 1;

    /// <summary>Where the attempt is now.</summary>
    public CiStatus Status { get; init; } = CiStatus.Created;

    /// <summary>True once a newer attempt replaced this one; it then only counts as history.</summary>
    public bool Retried { get; init; }

    /// <summary>
    /// Whether a failure of this attempt is allowed: the plan's <c>allow_failure</c>, or set when the attempt
    /// failed with one of the plan's <c>allow_failure:exit_codes</c>. A failed, allowed job shows as failed
    /// with a warning and does not fail the pipeline.
    /// </summary>
    public bool AllowFailure { get; init; }

    /// <summary>When the attempt was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it was last queued (pending).</summary>
    public DateTimeOffset? QueuedAt { get; init; }

    /// <summary>When a runner started it.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When it reached a completed status.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>For a <c>when: delayed</c> job: when it becomes due.</summary>
    public DateTimeOffset? ScheduledAt { get; init; }

    /// <summary>For a running job: when the server-side watchdog fails it if the runner never reports.</summary>
    public DateTimeOffset? DeadlineAt { get; init; }

    /// <summary>Why it failed (<see cref="FailureReasons"/>), for a failed attempt.</summary>
    public string? FailureReason { get; init; }

    /// <summary>The exit code the runner reported, if any.</summary>
    public int? ExitCode { get; init; }

    /// <summary>
    /// Set on a retried manual or delayed job: it is queued as soon as its prerequisites allow, without waiting
    /// to be played or for its delay (GitLab's <c>enqueue_immediately</c>).
    /// </summary>
    public bool EnqueueImmediately { get; init; }

    /// <summary>The newer pipeline that auto-canceled this attempt, if any.</summary>
    public long? AutoCanceledBy { get; init; }

    /// <summary>Failed but allowed to fail: shown with a warning, and the pipeline still passes.</summary>
    public bool HasWarning => Status == CiStatus.Failed && AllowFailure;

    /// <summary>How long it ran, once finished.</summary>
    public TimeSpan? Duration => StartedAt is { } s && FinishedAt is { } f ? f - s : null;
}

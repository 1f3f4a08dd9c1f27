namespace Relais.Protocol;

/// <summary>
/// A status as GitLab names it. Jobs, stages and pipelines share the one set (GitLab's <c>HasStatus</c>): a
/// stage's or a pipeline's status is the composite of its jobs' statuses (the engine's <c>CompositeStatus</c>).
/// </summary>
public enum CiStatus
{
    /// <summary>Not yet processed: waiting for earlier stages or its <c>needs</c>.</summary>
    Created,

    /// <summary>Ready, but waiting for its <c>resource_group</c> to be free.</summary>
    WaitingForResource,

    /// <summary>Ready, preparing prerequisites before it can be queued (kept for GitLab parity; the engine does not produce it).</summary>
    Preparing,

    /// <summary>Queued for a runner.</summary>
    Pending,

    /// <summary>A runner is running it.</summary>
    Running,

    /// <summary>Finished successfully.</summary>
    Success,

    /// <summary>Finished with a failure (see the job's failure reason and allow-failure flag).</summary>
    Failed,

    /// <summary>Cancel was asked while it ran; the runner is stopping it (after_script still runs).</summary>
    Canceling,

    /// <summary>Canceled before or while running.</summary>
    Canceled,

    /// <summary>Never ran: its conditions were not met.</summary>
    Skipped,

    /// <summary>A <c>when: manual</c> job waiting for someone to play it (a pipeline in this status is "blocked").</summary>
    Manual,

    /// <summary>A <c>when: delayed</c> job waiting for its <c>start_in</c> to pass.</summary>
    Scheduled,
}

/// <summary>Groups of <see cref="CiStatus"/> values, named as GitLab names them.</summary>
public static class CiStatusExtensions
{
    /// <summary>success, failed, canceled, skipped: nothing more will happen unless someone retries.</summary>
    public static bool IsCompleted(this CiStatus status) =>
        status is CiStatus.Success or CiStatus.Failed or CiStatus.Canceled or CiStatus.Skipped;

    /// <summary>waiting_for_resource, preparing, pending, running: on its way through a runner.</summary>
    public static bool IsActive(this CiStatus status) =>
        status is CiStatus.WaitingForResource or CiStatus.Preparing or CiStatus.Pending or CiStatus.Running;

    /// <summary>What a pipeline cancel touches: created, the active ones and scheduled. Manual jobs stay manual.</summary>
    public static bool IsCancelable(this CiStatus status) =>
        status is CiStatus.Created or CiStatus.Scheduled || status.IsActive();

    /// <summary>A runner holds the job: running or canceling.</summary>
    public static bool IsExecuting(this CiStatus status) => status is CiStatus.Running or CiStatus.Canceling;
}

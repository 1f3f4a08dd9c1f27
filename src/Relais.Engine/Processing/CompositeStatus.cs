using Relais.Protocol;

namespace Relais.Engine;

/// <summary>
/// GitLab's composite status: the one status that stands for a set of jobs (a stage, a pipeline, the jobs
/// before a stage, or a job's <c>needs</c>). The order of the rules matters and follows GitLab's
/// <c>Gitlab::Ci::Status::Composite</c>:
/// <list type="bullet">
/// <item>a failed or canceled job with <c>allow_failure</c> counts as "success with warnings";</item>
/// <item>a manual job with <c>allow_failure</c> (a non-blocking manual job) is ignored;</item>
/// <item>for a job's <c>needs</c> (<c>dag</c>), any skipped or ignored need makes the result skipped.</item>
/// </list>
/// </summary>
public static class CompositeStatus
{
    [Flags]
    private enum Seen
    {
        None = 0,
        Created = 1 << 0,
        WaitingForResource = 1 << 1,
        Preparing = 1 << 2,
        Pending = 1 << 3,
        Running = 1 << 4,
        Success = 1 << 5,
        Failed = 1 << 6,
        Canceling = 1 << 7,
        Canceled = 1 << 8,
        Skipped = 1 << 9,
        Manual = 1 << 10,
        Scheduled = 1 << 11,
        SuccessWithWarnings = 1 << 12,
        Ignored = 1 << 13,
    }

    /// <summary>The composite of the given jobs, or null when there are none.</summary>
    public static CiStatus? Of(IEnumerable<JobState> jobs, bool dag) =>
        Of(jobs.Select(j => (j.Status, j.AllowFailure)), dag);

    /// <summary>The composite of (status, allow_failure) pairs, or null when there are none.</summary>
    public static CiStatus? Of(IEnumerable<(CiStatus Status, bool AllowFailure)> jobs, bool dag)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        var seen = Seen.None;
        foreach (var (status, allowFailure) in jobs)
        {
            seen |= Classify(status, allowFailure);
        }

        return seen == Seen.None ? null : Decide(seen, dag);
    }

    private static Seen Classify(CiStatus status, bool allowFailure) => status switch
    {
        CiStatus.Failed or CiStatus.Canceled when allowFailure => Seen.SuccessWithWarnings,
        CiStatus.Manual when allowFailure => Seen.Ignored,
        CiStatus.Created => Seen.Created,
        CiStatus.WaitingForResource => Seen.WaitingForResource,
        CiStatus.Preparing => Seen.Preparing,
        CiStatus.Pending => Seen.Pending,
        CiStatus.Running => Seen.Running,
        CiStatus.Success => Seen.Success,
        CiStatus.Failed => Seen.Failed,
        CiStatus.Canceling => Seen.Canceling,
        CiStatus.Canceled => Seen.Canceled,
        CiStatus.Skipped => Seen.Skipped,
        CiStatus.Manual => Seen.Manual,
        CiStatus.Scheduled => Seen.Scheduled,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "unknown status"),
    };

    private static CiStatus Decide(Seen seen, bool dag)
    {
        const Seen benign = Seen.SuccessWithWarnings | Seen.Ignored;
        if (dag && Any(seen, Seen.Skipped | Seen.Ignored))
        {
            return CiStatus.Skipped; // a need that does not run at all skips the job that needs it
        }

        if (Only(seen, Seen.Skipped | Seen.Ignored))
        {
            return CiStatus.Skipped;
        }

        if (Only(seen, Seen.Success | Seen.Skipped | benign))
        {
            return CiStatus.Success;
        }

        if (Only(seen, Seen.Created | benign))
        {
            return CiStatus.Created;
        }

        if (Only(seen, Seen.Preparing | benign))
        {
            return CiStatus.Preparing;
        }

        if (Only(seen, Seen.Canceled | Seen.Success | Seen.Skipped | benign))
        {
            return CiStatus.Canceled;
        }

        if (Only(seen, Seen.Pending | Seen.Created | Seen.Skipped | benign))
        {
            return CiStatus.Pending;
        }

        return FirstPresent(seen);
    }

    private static CiStatus FirstPresent(Seen seen)
    {
        if (Any(seen, Seen.Running | Seen.Pending))
        {
            return CiStatus.Running;
        }

        (Seen Flag, CiStatus Status)[] order =
        [
            (Seen.WaitingForResource, CiStatus.WaitingForResource),
            (Seen.Manual, CiStatus.Manual),
            (Seen.Scheduled, CiStatus.Scheduled),
            (Seen.Preparing, CiStatus.Preparing),
            (Seen.Created, CiStatus.Running), // work is left to do: the set is still running
            (Seen.Canceling, CiStatus.Canceling),
        ];
        foreach (var (flag, status) in order)
        {
            if (Any(seen, flag))
            {
                return status;
            }
        }

        return CiStatus.Failed;
    }

    private static bool Any(Seen seen, Seen flags) => (seen & flags) != Seen.None;

    // Every seen status is among the allowed ones, and at least one was seen.
    private static bool Only(Seen seen, Seen allowed) => seen != Seen.None && (seen & ~allowed) == Seen.None;
}

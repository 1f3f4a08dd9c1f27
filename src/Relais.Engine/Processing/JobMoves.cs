using Relais.Protocol;

namespace Relais.Engine;

/// <summary>The small status moves several transitions share, each stamping the right time.</summary>
internal static class JobMoves
{
    /// <summary>Queue the attempt: pending, or waiting_for_resource first when it has a <c>resource_group</c>.</summary>
    public static JobState Enqueue(StepContext ctx, JobState job) =>
        ctx.Index.Job(job.Name).ResourceGroup is null
            ? job with { Status = CiStatus.Pending, QueuedAt = ctx.Now }
            : job with { Status = CiStatus.WaitingForResource };

    /// <summary>Move to a completed status, stamping the finish time.</summary>
    public static JobState Complete(StepContext ctx, JobState job, CiStatus status) =>
        job with { Status = status, FinishedAt = ctx.Now, DeadlineAt = null };

    /// <summary>
    /// Cancel the attempt if it is cancelable: a running one goes to canceling (the runner still has to stop
    /// it), the others are canceled at once. Returns false when there was nothing to cancel.
    /// </summary>
    public static bool Cancel(StepContext ctx, JobState job, long? autoCanceledBy = null)
    {
        if (!job.Status.IsCancelable())
        {
            return false;
        }

        var canceled = job.Status == CiStatus.Running
            ? job with { Status = CiStatus.Canceling }
            : Complete(ctx, job, CiStatus.Canceled);
        ctx.Update(canceled with { AutoCanceledBy = autoCanceledBy ?? job.AutoCanceledBy });
        return true;
    }
}

using Relais.Protocol;

namespace Relais.Engine;

/// <summary>What people do to jobs: play, unschedule, cancel one job, retry one job or the pipeline.</summary>
internal static class UserActions
{
    /// <summary>Play a manual job, or run a delayed one now; skipped jobs after it are decided again.</summary>
    public static EngineRejection? Play(StepContext ctx, ManualJobPlayed e)
    {
        if (ctx.Find(e.Job) is not { } job)
        {
            return EngineRejection.UnknownJob(e.Job);
        }

        if (job.Status is not (CiStatus.Manual or CiStatus.Scheduled))
        {
            return new EngineRejection("not_playable", $"'{e.Job}' is {job.Status.ToGitLab()}, not manual or scheduled");
        }

        ctx.Update(JobMoves.Enqueue(ctx, job with { ScheduledAt = null }));
        Retrying.ResetSkippedDependents(ctx, [e.Job]);
        return null;
    }

    /// <summary>Turn a scheduled (delayed) job into a manual one.</summary>
    public static EngineRejection? Unschedule(StepContext ctx, DelayedJobUnscheduled e)
    {
        if (ctx.Find(e.Job) is not { } job)
        {
            return EngineRejection.UnknownJob(e.Job);
        }

        if (job.Status != CiStatus.Scheduled)
        {
            return EngineRejection.Invalid(e.Job, job.Status, "unschedule");
        }

        ctx.Update(job with { Status = CiStatus.Manual, ScheduledAt = null });
        return null;
    }

    public static EngineRejection? CancelJob(StepContext ctx, JobCancelRequested e)
    {
        if (ctx.Find(e.Job) is not { } job)
        {
            return EngineRejection.UnknownJob(e.Job);
        }

        return JobMoves.Cancel(ctx, job)
            ? null
            : new EngineRejection("not_cancelable", $"'{e.Job}' is {job.Status.ToGitLab()}");
    }

    public static EngineRejection? Retry(StepContext ctx, RetryRequested e)
    {
        if (ctx.Find(e.Job) is not { } job)
        {
            return EngineRejection.UnknownJob(e.Job);
        }

        if (!Retrying.IsRetryable(job))
        {
            return new EngineRejection("not_retryable", $"'{e.Job}' is {job.Status.ToGitLab()}");
        }

        Retrying.Retry(ctx, e.Job, enqueueIfActionable: true);
        Retrying.ResetSkippedDependents(ctx, [e.Job]);
        return null;
    }

    /// <summary>
    /// Retry the pipeline as GitLab does: a new attempt for every failed or canceled job (manual ones become
    /// manual again), and every skipped job is decided again.
    /// </summary>
    public static EngineRejection? RetryPipeline(StepContext ctx)
    {
        var retried = ctx.CurrentJobs.Where(j => j.Status is CiStatus.Failed or CiStatus.Canceled).Select(j => j.Name).ToList();
        var skipped = ctx.CurrentJobs.Where(j => j.Status == CiStatus.Skipped).ToList();
        if (retried.Count == 0 && skipped.Count == 0)
        {
            return new EngineRejection("not_retryable", "the pipeline has no failed, canceled or skipped job");
        }

        foreach (var name in retried)
        {
            Retrying.Retry(ctx, name, enqueueIfActionable: false);
        }

        foreach (var job in skipped)
        {
            ctx.Update(job with { Status = CiStatus.Created, FinishedAt = null });
        }

        return null;
    }
}

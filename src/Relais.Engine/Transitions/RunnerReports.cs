using Relais.Protocol;

namespace Relais.Engine;

/// <summary>What runners (or the driver on their behalf) report about one attempt.</summary>
internal static class RunnerReports
{
    public static EngineRejection? Started(StepContext ctx, JobStarted e)
    {
        if (Locate(ctx, e.Job, e.Attempt, out var job) is { } rejection)
        {
            return rejection;
        }

        if (job.Status is not (CiStatus.Pending or CiStatus.Preparing))
        {
            return EngineRejection.Invalid(e.Job, job.Status, "start");
        }

        var timeout = e.Timeout ?? ctx.Index.Job(e.Job).Timeout;
        ctx.Update(job with
        {
            Status = CiStatus.Running,
            StartedAt = ctx.Now,
            DeadlineAt = timeout is { } t ? ctx.Now + t + PipelineEngine.WatchdogGrace : null,
        });
        return null;
    }

    public static EngineRejection? Finished(StepContext ctx, JobFinished e)
    {
        if (Locate(ctx, e.Job, e.Attempt, out var job) is { } rejection)
        {
            return rejection;
        }

        switch (job.Status)
        {
            case CiStatus.Canceling:
                ctx.Update(JobMoves.Complete(ctx, job, CiStatus.Canceled) with { ExitCode = e.ExitCode });
                return null;
            case CiStatus.Pending or CiStatus.Preparing or CiStatus.Running:
                var started = job with { StartedAt = job.StartedAt ?? ctx.Now };
                if (e.Succeeded)
                {
                    ctx.Update(JobMoves.Complete(ctx, started, CiStatus.Success) with { ExitCode = e.ExitCode });
                }
                else
                {
                    Failing.Fail(ctx, started, e.FailureReason, e.ExitCode);
                }

                return null;
            default:
                return EngineRejection.Invalid(e.Job, job.Status, "finish");
        }
    }

    public static EngineRejection? Canceled(StepContext ctx, JobCanceled e)
    {
        if (Locate(ctx, e.Job, e.Attempt, out var job) is { } rejection)
        {
            return rejection;
        }

        if (job.Status != CiStatus.Canceling && !job.Status.IsCancelable())
        {
            return EngineRejection.Invalid(e.Job, job.Status, "be canceled");
        }

        ctx.Update(JobMoves.Complete(ctx, job, CiStatus.Canceled));
        return null;
    }

    public static EngineRejection? RunnerLost(StepContext ctx, RunnerLost e)
    {
        if (Locate(ctx, e.Job, e.Attempt, out var job) is { } rejection)
        {
            return rejection;
        }

        switch (job.Status)
        {
            case CiStatus.Canceling:
                ctx.Update(JobMoves.Complete(ctx, job, CiStatus.Canceled));
                return null;
            case CiStatus.Pending or CiStatus.Preparing or CiStatus.Running:
                Failing.Fail(ctx, job, FailureReasons.RunnerSystemFailure, exitCode: null);
                return null;
            default:
                return EngineRejection.Invalid(e.Job, job.Status, "lose its runner");
        }
    }

    public static EngineRejection? Granted(StepContext ctx, ResourceGranted e)
    {
        if (Locate(ctx, e.Job, e.Attempt, out var job) is { } rejection)
        {
            return rejection;
        }

        if (job.Status != CiStatus.WaitingForResource)
        {
            return EngineRejection.Invalid(e.Job, job.Status, "take the resource");
        }

        ctx.Update(job with { Status = CiStatus.Pending, QueuedAt = ctx.Now });
        return null;
    }

    /// <summary>Find the current attempt the event names, or say why it cannot apply.</summary>
    public static EngineRejection? Locate(StepContext ctx, string name, int attempt, out JobState job)
    {
        job = ctx.Find(name)!;
        if (job is null)
        {
            return EngineRejection.UnknownJob(name);
        }

        return job.Attempt == attempt ? null : EngineRejection.Stale(name, attempt, job.Attempt);
    }
}

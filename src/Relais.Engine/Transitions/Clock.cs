using Relais.Protocol;

namespace Relais.Engine;

/// <summary>
/// What time alone does: a scheduled (delayed) job whose time has come is queued; a running job past its
/// watchdog deadline (its timeout plus <see cref="PipelineEngine.WatchdogGrace"/>: the runner should have
/// reported the timeout itself) fails with <c>job_execution_timeout</c>, and a canceling one is taken as canceled.
/// </summary>
internal static class Clock
{
    /// <summary>Apply what is due at the step's time; true if anything changed.</summary>
    public static bool Advance(StepContext ctx)
    {
        var changed = false;
        foreach (var name in ctx.CurrentJobs.Select(j => j.Name).ToList())
        {
            var job = ctx.Current(name); // re-read: a failure above may have canceled the pipeline
            if (job.Status == CiStatus.Scheduled && job.ScheduledAt <= ctx.Now)
            {
                ctx.Update(JobMoves.Enqueue(ctx, job));
                changed = true;
            }
            else if (job.Status == CiStatus.Running && job.DeadlineAt <= ctx.Now)
            {
                Failing.Fail(ctx, job, FailureReasons.JobExecutionTimeout, exitCode: null);
                changed = true;
            }
            else if (job.Status == CiStatus.Canceling && job.DeadlineAt <= ctx.Now)
            {
                ctx.Update(JobMoves.Complete(ctx, job, CiStatus.Canceled));
                changed = true;
            }
        }

        return changed;
    }
}

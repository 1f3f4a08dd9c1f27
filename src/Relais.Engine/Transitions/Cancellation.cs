using Relais.Protocol;

namespace Relais.Engine;

/// <summary>
/// Canceling a pipeline, by hand or automatically, as GitLab's <c>CancelPipelineService</c> does: every
/// cancelable job (created, waiting_for_resource, preparing, pending, running, scheduled) is canceled; running
/// ones go to canceling until the runner stops them. Manual jobs stay manual. Created jobs are canceled too,
/// <c>when: always</c> ones included, so nothing runs after a cancel.
/// </summary>
internal static class Cancellation
{
    public static EngineRejection? CancelPipeline(StepContext ctx) =>
        CancelAll(ctx, autoCanceledBy: null) ? null : new EngineRejection("not_cancelable", "the pipeline has nothing to cancel");

    public static bool CancelAll(StepContext ctx, long? autoCanceledBy) => CancelWhere(ctx, _ => true, autoCanceledBy);

    /// <summary>
    /// A newer pipeline on the same ref asks this one to step aside, per this pipeline's own
    /// <c>workflow:auto_cancel:on_new_commit</c>:
    /// <list type="bullet">
    /// <item><c>conservative</c> (the default): cancel the whole pipeline, but only if no job that is not
    /// <c>interruptible</c> has started (running, success or failed, retried attempts included);</item>
    /// <item><c>interruptible</c>: cancel only the <c>interruptible</c> jobs, whatever else has started;</item>
    /// <item><c>none</c>: cancel nothing.</item>
    /// </list>
    /// </summary>
    public static EngineRejection? AutoCancel(StepContext ctx, AutoCancelRequested e)
    {
        if (!ctx.State.Status.IsCancelable())
        {
            // Like GitLab, only pipelines that are still going are considered: not finished ones, and not
            // blocked ones (status manual), which wait for a person.
            return new EngineRejection("not_cancelable", $"the pipeline is {ctx.State.Status.ToGitLab()}");
        }

        switch (ctx.State.Plan.AutoCancel.OnNewCommit)
        {
            case "conservative":
                if (ctx.State.Jobs.Any(j => j.Status is CiStatus.Running or CiStatus.Success or CiStatus.Failed
                        && !ctx.Index.Job(j.Name).Interruptible))
                {
                    return new EngineRejection("not_cancelable", "a job that is not interruptible has started");
                }

                ctx.AutoCanceledBy = e.NewerPipelineId;
                CancelAll(ctx, e.NewerPipelineId);
                return null;
            case "interruptible":
                ctx.AutoCanceledBy = e.NewerPipelineId;
                CancelWhere(ctx, j => ctx.Index.Job(j.Name).Interruptible, e.NewerPipelineId);
                return null;
            default:
                return new EngineRejection("not_cancelable", "workflow:auto_cancel:on_new_commit is none");
        }
    }

    private static bool CancelWhere(StepContext ctx, Func<JobState, bool> which, long? autoCanceledBy)
    {
        var any = false;
        foreach (var job in ctx.CurrentJobs.ToList())
        {
            if (which(job) && JobMoves.Cancel(ctx, job, autoCanceledBy))
            {
                any = true;
            }
        }

        return any;
    }
}

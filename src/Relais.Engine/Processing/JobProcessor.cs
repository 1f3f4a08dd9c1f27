using Relais.Protocol;

namespace Relais.Engine;

/// <summary>
/// One processing pass, as GitLab's atomic processing does it: every created job whose prerequisites are
/// complete is decided, stage by stage and needs first, until nothing changes.
/// <list type="bullet">
/// <item>The prerequisites of a job without <c>needs</c> are all jobs of earlier stages; of a job with
/// <c>needs</c>, the jobs it needs (<c>needs: []</c>: none, so it is decided at once).</item>
/// <item>Their composite status must be complete (success, failed, canceled, skipped); otherwise the job
/// stays created. A blocking manual job keeps it "manual", so later stages wait.</item>
/// <item>Then <c>when</c> decides: on_success, manual and delayed run after success (stages: also after
/// skipped), on_failure after failed, always after success, failed or skipped. Anything else skips the job.
/// After canceled nothing runs, not even <c>when: always</c>.</item>
/// </list>
/// </summary>
internal static class JobProcessor
{
    public static void Process(StepContext ctx)
    {
        bool changed;
        do
        {
            changed = false;
            foreach (var name in ctx.Index.ProcessingOrder)
            {
                var job = ctx.Current(name);
                if (job.Status != CiStatus.Created)
                {
                    continue;
                }

                var previous = PreviousStatus(ctx, name);
                if (!previous.IsCompleted())
                {
                    continue;
                }

                ctx.Update(Decide(ctx, job, previous));
                changed = true;
            }
        }
        while (changed);
    }

    /// <summary>The composite status of what the job waits for; success when it waits for nothing.</summary>
    public static CiStatus PreviousStatus(StepContext ctx, string name)
    {
        if (ctx.Index.IsDag(name))
        {
            var needs = ctx.Index.NeedsOf(name).Select(ctx.Current);
            return CompositeStatus.Of(needs, dag: true) ?? CiStatus.Success;
        }

        var stage = ctx.Index.StageOf(name);
        var earlier = ctx.CurrentJobs.Where(j => ctx.Index.StageOf(j.Name) < stage);
        return CompositeStatus.Of(earlier, dag: false) ?? CiStatus.Success;
    }

    private static JobState Decide(StepContext ctx, JobState job, CiStatus previous)
    {
        var plan = ctx.Index.Job(job.Name);
        if (!Runs(plan.When, ctx.Index.IsDag(job.Name), previous))
        {
            return job with { Status = CiStatus.Skipped };
        }

        if (job.EnqueueImmediately)
        {
            return JobMoves.Enqueue(ctx, job);
        }

        return plan.When switch
        {
            Pipelines.Plan.JobWhen.Delayed => job with
            {
                Status = CiStatus.Scheduled,
                ScheduledAt = ctx.Now + (plan.StartIn ?? TimeSpan.Zero),
            },
            Pipelines.Plan.JobWhen.Manual => job with { Status = CiStatus.Manual },
            _ => JobMoves.Enqueue(ctx, job),
        };
    }

    private static bool Runs(Pipelines.Plan.JobWhen when, bool dag, CiStatus previous) => when switch
    {
        Pipelines.Plan.JobWhen.OnSuccess or Pipelines.Plan.JobWhen.Manual or Pipelines.Plan.JobWhen.Delayed =>
            previous == CiStatus.Success || (!dag && previous == CiStatus.Skipped),
        Pipelines.Plan.JobWhen.OnFailure => previous == CiStatus.Failed,
        Pipelines.Plan.JobWhen.Always => previous is CiStatus.Success or CiStatus.Failed or CiStatus.Skipped,
        _ => false,
    };
}

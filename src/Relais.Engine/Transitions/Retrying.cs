using Relais.Protocol;

namespace Relais.Engine;

/// <summary>
/// New attempts: the retried attempt stays as history, the new one starts created and is decided by the next
/// processing pass. Like GitLab, skipped jobs that depend on the retried (or played) job, through <c>needs</c>
/// or by being in a later stage, are reset to created so they are decided again.
/// </summary>
internal static class Retrying
{
    /// <summary>
    /// A job can be retried once its latest attempt is done. (GitLab also allows it while canceling; we wait
    /// for the runner to confirm, so that a retried attempt is never still running.)
    /// </summary>
    public static bool IsRetryable(JobState job) =>
        job.Status is CiStatus.Success or CiStatus.Failed or CiStatus.Canceled;

    /// <summary>
    /// Add a new attempt. <paramref name="enqueueIfActionable"/> (a single-job retry, automatic or asked for)
    /// queues a manual or delayed job as soon as it may run instead of waiting to be played again.
    /// </summary>
    public static void Retry(StepContext ctx, string name, bool enqueueIfActionable)
    {
        var when = ctx.Index.Job(name).When;
        var actionable = when is Pipelines.Plan.JobWhen.Manual or Pipelines.Plan.JobWhen.Delayed;
        ctx.AddAttempt(name, enqueueImmediately: enqueueIfActionable && actionable);
    }

    /// <summary>Reset the skipped jobs that come after <paramref name="names"/> (later stages or needs descendants).</summary>
    public static void ResetSkippedDependents(StepContext ctx, IReadOnlyCollection<string> names)
    {
        if (names.Count == 0)
        {
            return;
        }

        var minStage = names.Min(ctx.Index.StageOf);
        var dependents = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            dependents.UnionWith(ctx.Index.DagDescendants(name));
        }

        foreach (var job in ctx.CurrentJobs.ToList())
        {
            var after = ctx.Index.StageOf(job.Name) > minStage || dependents.Contains(job.Name);
            if (after && job.Status == CiStatus.Skipped)
            {
                ctx.Update(job with { Status = CiStatus.Created, FinishedAt = null });
            }
        }
    }
}

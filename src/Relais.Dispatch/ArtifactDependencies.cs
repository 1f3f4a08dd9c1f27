using Relais.Pipelines.Plan;

namespace Relais.Dispatch;

/// <summary>
/// Which jobs' artifacts (and dotenv variables) a job receives, by GitLab's rule: its <c>dependencies</c> when given;
/// else its needs with <c>artifacts: true</c>; else every job of an earlier stage. The coordinator and
/// <c>relais run</c> both ask here.
/// </summary>
public static class ArtifactDependencies
{
    /// <summary>The names of the jobs whose artifacts <paramref name="job"/> downloads, in plan order for the stage default.</summary>
    public static IReadOnlyList<string> Of(PipelinePlan plan, JobPlan job)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(job);
        if (job.Dependencies is { } dependencies)
        {
            return [.. dependencies];
        }

        if (job.Needs is { } needs)
        {
            return [.. needs.Where(n => n.Artifacts).Select(n => n.Job)];
        }

        var stage = plan.StageIndex(job.Stage);
        return [.. plan.Jobs.Where(j => plan.StageIndex(j.Stage) < stage).Select(j => j.Name)];
    }
}

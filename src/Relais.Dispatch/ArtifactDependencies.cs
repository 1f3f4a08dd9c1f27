using Relais.Pipelines.Plan;

namespace Relais.Dispatch;

/// <summary>
/// Which jobs' artifacts (and dotenv variables) a job receives, by GitLab's rule (<c>Ci::BuildDependencies</c>): the
/// candidates are its needs with <c>artifacts: true</c> when it has <c>needs</c> (also <c>needs: []</c>: none), else
/// every job of an earlier stage; a non-empty <c>dependencies</c> keeps only the candidates it names, and
/// <c>dependencies: []</c> none. So a job that needs <c>one</c> with <c>artifacts: false</c> gets nothing from
/// <c>one</c>, even when <c>dependencies</c> names it. The coordinator and <c>relais run</c> both ask here.
/// </summary>
public static class ArtifactDependencies
{
    /// <summary>The names of the jobs whose artifacts <paramref name="job"/> downloads: in the order of its <c>dependencies</c> when given, else of its needs or of the plan.</summary>
    public static IReadOnlyList<string> Of(PipelinePlan plan, JobPlan job)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(job);
        IReadOnlyList<string> candidates;
        if (job.Needs is { } needs)
        {
            candidates = [.. needs.Where(n => n.Artifacts).Select(n => n.Job)];
        }
        else
        {
            var stage = plan.StageIndex(job.Stage);
            candidates = [.. plan.Jobs.Where(j => plan.StageIndex(j.Stage) < stage).Select(j => j.Name)];
        }

        return job.Dependencies is { } dependencies ? [.. dependencies.Where(candidates.Contains).Distinct(StringComparer.Ordinal)] : candidates;
    }
}

using System.Collections.Immutable;
using Relais.Pipelines.Plan;

namespace Relais.Cli.Run;

/// <summary>
/// <c>relais run JOB…</c>: narrows a plan to the named jobs (by name or by their name as written, so
/// <c>test</c> selects <c>test 1/3</c> … too), with <c>--needs</c> adding what they need, transitively.
/// Needs on jobs left out are dropped, so the selected jobs start at once.
/// </summary>
internal static class JobSelection
{
    public static PipelinePlan Select(PipelinePlan plan, IReadOnlyList<string> names, bool withNeeds, out IReadOnlyList<string> unknown)
    {
        unknown = [.. names.Where(n => !plan.Jobs.Any(j => j.Name == n || j.BaseName == n))];
        if (names.Count == 0 || unknown.Count > 0)
        {
            return plan;
        }

        var selected = new HashSet<string>(plan.Jobs.Where(j => names.Contains(j.Name) || names.Contains(j.BaseName)).Select(j => j.Name), StringComparer.Ordinal);
        if (withNeeds)
        {
            var queue = new Queue<string>(selected);
            while (queue.TryDequeue(out var name))
            {
                foreach (var need in Prerequisites(plan, plan.Job(name)!))
                {
                    if (selected.Add(need))
                    {
                        queue.Enqueue(need);
                    }
                }
            }
        }

        var jobs = plan.Jobs.Where(j => selected.Contains(j.Name)).Select(j => j with
        {
            Needs = j.Needs is { } needs ? [.. needs.Where(n => selected.Contains(n.Job))] : withNeeds ? null : ImmutableArray<NeedPlan>.Empty,
            Dependencies = j.Dependencies is { } deps ? [.. deps.Where(selected.Contains)] : null,
        });
        return plan with { Jobs = [.. jobs] };
    }

    /// <summary>What a job waits for: its needs, or without needs every job of an earlier stage.</summary>
    private static IEnumerable<string> Prerequisites(PipelinePlan plan, JobPlan job) =>
        job.Needs is { } needs
            ? needs.Select(n => n.Job)
            : plan.Jobs.Where(j => plan.StageIndex(j.Stage) < plan.StageIndex(job.Stage)).Select(j => j.Name);
}

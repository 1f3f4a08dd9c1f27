using System.Collections.Immutable;
using Relais.Pipelines.Plan;
using Relais.Pipelines.Yaml;

namespace Relais.Pipelines.Expand;

/// <summary>One job that <c>parallel</c> makes out of a definition: its name and its place in the group.</summary>
internal sealed record ParallelInstance(string Name, ParallelPlan? Parallel);

/// <summary>
/// Expand stage: <c>parallel: N</c> gives <c>name 1/N</c> … <c>name N/N</c>; <c>parallel:matrix</c> gives
/// one job per combination, named <c>name: [v1, v2]</c> with the values in the order written. At most
/// <see cref="MaxJobs"/> jobs per definition.
/// </summary>
internal static class ParallelExpander
{
    public const int MaxJobs = 200;

    public static IReadOnlyList<ParallelInstance> Expand(string name, YamlNode? parallel)
    {
        if (parallel.Int() is { } count and >= 1 and <= MaxJobs)
        {
            var n = (int)count;
            return [.. Enumerable.Range(1, n).Select(i => new ParallelInstance($"{name} {i}/{n}", new ParallelPlan(i, n, [])))];
        }

        if (parallel.Map()?["matrix"] is YamlSequence matrix)
        {
            // Entries may repeat a combination; GitLab keys jobs by name, so a repeat is one job.
            var combinations = Combinations(matrix).DistinctBy(vars => MatrixName(name, vars), StringComparer.Ordinal).Take(MaxJobs + 1).ToList();
            if (combinations.Count > MaxJobs)
            {
                return [];
            }

            return [.. combinations.Select((vars, i) => new ParallelInstance(
                MatrixName(name, vars), new ParallelPlan(i + 1, combinations.Count, vars)))];
        }

        return [new ParallelInstance(name, null)];
    }

    /// <summary>How many jobs <paramref name="parallel"/> would make (for the "more than 200" check).</summary>
    public static long Count(YamlNode? parallel) =>
        parallel.Int() ?? (parallel.Map()?["matrix"] is YamlSequence m
            ? m.Items.OfType<YamlMapping>().Sum(e => e.Entries.Aggregate(1L, (acc, v) => acc * Math.Max(1, Values(v.Value).Count)))
            : 1);

    public static string MatrixName(string name, IEnumerable<PlanVariable> values) =>
        $"{name}: [{string.Join(", ", values.Select(v => v.Value))}]";

    /// <summary>Every combination of every matrix entry, in order: the first variable varies slowest.</summary>
    public static IEnumerable<ImmutableArray<PlanVariable>> Combinations(YamlSequence matrix)
    {
        foreach (var entry in matrix.Items.OfType<YamlMapping>())
        {
            IEnumerable<ImmutableArray<PlanVariable>> partial = [[]];
            foreach (var variable in entry.Entries)
            {
                var values = Values(variable.Value);
                partial = partial.SelectMany(p => values.Select(v => p.Add(new PlanVariable(variable.Key, v))));
            }

            foreach (var combination in partial)
            {
                yield return combination;
            }
        }
    }

    private static IReadOnlyList<string> Values(YamlNode node) => node switch
    {
        YamlSequence seq => [.. seq.Items.Select(i => i.Text() ?? "")],
        _ => [node.Text() ?? ""],
    };
}

using System.Collections.Immutable;

namespace Relais.Engine;

/// <summary>
/// Each job attempt of a state after a step, with the same attempt (name and number) before it, or null for an attempt
/// the step added. Most steps add none, and then both lists hold the same attempts in the same order: they are paired
/// by position, without a lookup table of every job. The engine's effects and the server's row writes both use it.
/// </summary>
public static class AttemptPairs
{
    public static IEnumerable<(JobState? Before, JobState After)> Of(ImmutableArray<JobState> before, ImmutableArray<JobState> after)
    {
        if (Aligned(before, after))
        {
            for (var i = 0; i < after.Length; i++)
            {
                yield return (before[i], after[i]);
            }

            yield break;
        }

        var byKey = before.ToDictionary(j => (j.Name, j.Attempt));
        foreach (var job in after)
        {
            yield return (byKey.GetValueOrDefault((job.Name, job.Attempt)), job);
        }
    }

    private static bool Aligned(ImmutableArray<JobState> before, ImmutableArray<JobState> after)
    {
        if (before.Length != after.Length)
        {
            return false;
        }

        for (var i = 0; i < after.Length; i++)
        {
            if (!ReferenceEquals(before[i], after[i])
                && (before[i].Attempt != after[i].Attempt || !string.Equals(before[i].Name, after[i].Name, StringComparison.Ordinal)))
            {
                return false;
            }
        }

        return true;
    }
}

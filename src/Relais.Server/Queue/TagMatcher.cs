using Relais.Server.Storage;

namespace Relais.Server.Queue;

/// <summary>GitLab's rule: a runner takes a job when it has every tag of the job; an untagged job needs <c>run_untagged</c>.</summary>
public static class TagMatcher
{
    public static bool Matches(IReadOnlyList<string> jobTags, RunnerRecord runner)
    {
        ArgumentNullException.ThrowIfNull(jobTags);
        ArgumentNullException.ThrowIfNull(runner);
        if (jobTags.Count == 0)
        {
            return runner.RunUntagged;
        }

        var have = runner.TagList;
        return jobTags.All(t => have.Contains(t, StringComparer.Ordinal));
    }
}

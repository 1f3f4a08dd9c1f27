namespace Relais.Protocol.Jobs;

/// <summary>One cache of the job (<c>cache[]</c>).</summary>
public sealed record JobCache
{
    /// <summary>The key; may contain variables, which the runner expands. Empty means <c>default</c>.</summary>
    public string? Key { get; set; }

    /// <summary>
    /// Relais extension (<c>cache:key:files</c>): when set, the runner computes the key from the contents of
    /// these files after fetching sources, and <see cref="Key"/> is ignored. GitLab computes this key on the
    /// server from commit ids instead; see <c>docs/runner.md</c>.
    /// </summary>
    public IReadOnlyList<string>? KeyFiles { get; set; }

    /// <summary>Relais extension (<c>cache:key:prefix</c>): prepended to the computed key as <c>prefix-hash</c>.</summary>
    public string? KeyPrefix { get; set; }

    /// <summary>Whether files git does not track are cached.</summary>
    public bool Untracked { get; set; }

    /// <summary>Globs relative to the project directory.</summary>
    public IReadOnlyList<string> Paths { get; set; } = [];

    /// <summary><c>pull-push</c> (default), <c>pull</c> or <c>push</c>; may be a variable.</summary>
    public string? Policy { get; set; }

    /// <summary>When the cache is saved: <c>on_success</c> (default), <c>on_failure</c>, <c>always</c>.</summary>
    public string? When { get; set; }

    /// <summary>Keys tried in order when <see cref="Key"/> has no archive.</summary>
    public IReadOnlyList<string> FallbackKeys { get; set; } = [];
}

/// <summary>Values of <see cref="JobCache.Policy"/>.</summary>
public static class CachePolicies
{
    /// <summary>Restore before the script and save after it.</summary>
    public const string PullPush = "pull-push";

    /// <summary>Only restore.</summary>
    public const string Pull = "pull";

    /// <summary>Only save.</summary>
    public const string Push = "push";
}

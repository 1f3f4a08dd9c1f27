namespace Relais.Protocol.Jobs;

/// <summary>One step of the job (<c>steps[]</c>).</summary>
public sealed record JobStep
{
    /// <summary><c>script</c>, <c>release</c> or <c>after_script</c> (see <see cref="StepNames"/>).</summary>
    public string Name { get; set; } = "";

    /// <summary>The commands, one shell command per entry (an entry may span lines).</summary>
    public IReadOnlyList<string> Script { get; set; } = [];

    /// <summary>The step timeout in seconds (GitLab sends the job timeout).</summary>
    public int Timeout { get; set; }

    /// <summary><c>on_success</c>, <c>on_failure</c> or <c>always</c>.</summary>
    public string When { get; set; } = "on_success";

    /// <summary>Whether a failure of this step fails the job.</summary>
    public bool AllowFailure { get; set; }
}

/// <summary>A hook script (<c>hooks[]</c>), e.g. <c>pre_get_sources_script</c>.</summary>
public sealed record JobHook
{
    /// <summary>The hook name.</summary>
    public string Name { get; set; } = "";

    /// <summary>The commands.</summary>
    public IReadOnlyList<string> Script { get; set; } = [];
}

/// <summary>Well-known step and hook names.</summary>
public static class StepNames
{
    /// <summary>before_script and script, run in one shell.</summary>
    public const string Script = "script";

    /// <summary>The release step.</summary>
    public const string Release = "release";

    /// <summary>after_script, run in a new shell.</summary>
    public const string AfterScript = "after_script";

    /// <summary>Hook run before sources are fetched.</summary>
    public const string PreGetSourcesScript = "pre_get_sources_script";

    /// <summary>Hook run after sources are fetched.</summary>
    public const string PostGetSourcesScript = "post_get_sources_script";
}

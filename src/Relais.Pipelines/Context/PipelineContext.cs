namespace Relais.Pipelines.Context;

/// <summary>
/// Everything about the pipeline being created that the configuration may look at: the ref, what
/// started it, the commit, what changed, and the variables known before any job exists.
/// </summary>
public sealed record PipelineContext
{
    /// <summary>Branch or tag name, without <c>refs/heads/</c> or <c>refs/tags/</c>.</summary>
    public required string Ref { get; init; }

    public bool IsTag { get; init; }

    public PipelineSource Source { get; init; } = PipelineSource.Push;

    public string Sha { get; init; } = new('0', 40);

    /// <summary>The previous tip of the ref; all zeros (or null) for a new ref or a non-push pipeline.</summary>
    public string? BeforeSha { get; init; }

    public string CommitMessage { get; init; } = "";

    public string? CommitAuthor { get; init; }

    public DateTimeOffset? CommitTimestamp { get; init; }

    /// <summary>
    /// Files changed by the push, for <c>rules:changes</c> and <c>only:changes</c>. Null when there is
    /// nothing to compare against (new branch, tag, schedule, web, API): then every <c>changes</c> is true.
    /// </summary>
    public IReadOnlyList<string>? ChangedFiles { get; init; }

    /// <summary>Files changed compared with a given ref, for <c>changes:compare_to</c>; null when unknown.</summary>
    public Func<string, IReadOnlyList<string>?>? ChangedFilesComparedTo { get; init; }

    public string DefaultBranch { get; init; } = "main";

    public bool RefProtected { get; init; }

    public string ProjectPath { get; init; } = "local/project";

    public long ProjectId { get; init; } = 1;

    public long PipelineId { get; init; } = 1;

    public long PipelineIid { get; init; } = 1;

    public string ServerUrl { get; init; } = "http://127.0.0.1:8080";

    public string ConfigPath { get; init; } = ".gitlab-ci.yml";

    /// <summary>The container registry's <c>host:port</c> when the server runs one (<c>CI_REGISTRY</c>, which rules can test); null otherwise.</summary>
    public string? RegistryAddress { get; init; }

    /// <summary>Who caused the pipeline (<c>GITLAB_USER_*</c>); null when nobody did (a local run without a git identity).</summary>
    public PipelineUser? User { get; init; }

    /// <summary>Merge request variables (<c>CI_MERGE_REQUEST_*</c>) when the source is a merge request event.</summary>
    public IReadOnlyDictionary<string, string> MergeRequestVariables { get; init; } =
        new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// Variables from outside the file: project CI/CD variables and pipeline variables (trigger, API,
    /// manual run, <c>--variable</c>). They take precedence over YAML variables.
    /// </summary>
    public IReadOnlyList<ContextVariable> Variables { get; init; } = [];
}

/// <summary>
/// A variable supplied from outside the configuration file. <paramref name="EnvironmentScope"/> (null or <c>*</c>: every
/// job) limits a CI/CD variable to the jobs whose <c>environment:name</c> matches it (see <see cref="EnvironmentScopes"/>).
/// </summary>
public sealed record ContextVariable(string Key, string Value, bool Masked = false, bool Protected = false, bool File = false, bool Raw = false, string? EnvironmentScope = null)
{
    /// <summary>Whether the variable reaches every job, whatever its environment.</summary>
    public bool Unscoped => EnvironmentScope is null or EnvironmentScopes.Any;
}

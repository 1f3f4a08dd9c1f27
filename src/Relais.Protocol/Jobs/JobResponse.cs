namespace Relais.Protocol.Jobs;

/// <summary>
/// The job payload: the 201 body of <c>POST /api/v4/jobs/request</c> (runner API v4). Field names are the
/// snake_case names GitLab sends; fields a coordinator leaves out take their defaults, as Go's decoder does.
/// </summary>
public sealed record JobResponse
{
    /// <summary>The job id (instance-wide).</summary>
    public long Id { get; init; }

    /// <summary>The job token: authenticates job-level calls (<c>JOB-TOKEN</c>) and is always masked in the log.</summary>
    public string Token { get; init; } = "";

    /// <summary>Whether <c>GIT_STRATEGY</c> defaults to <c>fetch</c> (true) or <c>clone</c> (false).</summary>
    public bool AllowGitFetch { get; init; }

    /// <summary>Job, pipeline and project identity.</summary>
    public JobInfo JobInfo { get; init; } = new();

    /// <summary>Where and what to check out.</summary>
    public GitInfo GitInfo { get; init; } = new();

    /// <summary>Per-runner settings for this job, notably the job timeout.</summary>
    public RunnerInfo RunnerInfo { get; init; } = new();

    /// <summary>The job's variables in precedence order (later keys win).</summary>
    public IReadOnlyList<JobVariable> Variables { get; init; } = [];

    /// <summary>The steps: <c>script</c> (before_script + script), optional <c>release</c>, and <c>after_script</c>.</summary>
    public IReadOnlyList<JobStep> Steps { get; init; } = [];

    /// <summary>Hooks such as <c>pre_get_sources_script</c>.</summary>
    public IReadOnlyList<JobHook> Hooks { get; init; } = [];

    /// <summary>The job image; null for jobs without one (shell executor jobs).</summary>
    public JobImage? Image { get; init; }

    /// <summary>Service containers.</summary>
    public IReadOnlyList<JobService> Services { get; init; } = [];

    /// <summary>One entry per artifact upload (the archive and each report).</summary>
    public IReadOnlyList<JobArtifact> Artifacts { get; init; } = [];

    /// <summary>Up to four caches.</summary>
    public IReadOnlyList<JobCache> Cache { get; init; } = [];

    /// <summary>Registry credentials.</summary>
    public IReadOnlyList<JobCredential> Credentials { get; init; } = [];

    /// <summary>Earlier jobs whose artifacts this job downloads.</summary>
    public IReadOnlyList<JobDependency> Dependencies { get; init; } = [];

    /// <summary>Server-side features the runner may use.</summary>
    public JobFeatures Features { get; init; } = new();
}

/// <summary>Job, pipeline and project identity (<c>job_info</c>).</summary>
public sealed record JobInfo
{
    /// <summary>The job id.</summary>
    public long Id { get; init; }

    /// <summary>The job name, with its parallel or matrix suffix.</summary>
    public string Name { get; init; } = "";

    /// <summary>The stage name.</summary>
    public string Stage { get; init; } = "";

    /// <summary>The project id.</summary>
    public long ProjectId { get; init; }

    /// <summary>The project's name (last path segment).</summary>
    public string ProjectName { get; init; } = "";

    /// <summary>The pipeline id.</summary>
    public long? PipelineId { get; init; }

    /// <summary>The project's full path (<c>group/sub/project</c>).</summary>
    public string? ProjectFullPath { get; init; }

    /// <summary>The namespace id.</summary>
    public long? NamespaceId { get; init; }

    /// <summary>The top-level namespace id.</summary>
    public long? RootNamespaceId { get; init; }

    /// <summary>The user who started the pipeline or job.</summary>
    public long? UserId { get; init; }

    /// <summary>How long the job waited in the queue.</summary>
    public double? TimeInQueueSeconds { get; init; }
}

/// <summary>What to check out (<c>git_info</c>).</summary>
public sealed record GitInfo
{
    /// <summary>The clone URL; for local runs a path or <c>file://</c> URL is accepted too.</summary>
    public string RepoUrl { get; init; } = "";

    /// <summary>The branch or tag name.</summary>
    public string Ref { get; init; } = "";

    /// <summary>The commit to check out.</summary>
    public string Sha { get; init; } = "";

    /// <summary>The previous tip of the ref.</summary>
    public string? BeforeSha { get; init; }

    /// <summary><c>branch</c> or <c>tag</c>.</summary>
    public string? RefType { get; init; }

    /// <summary>The refspecs to fetch; the runner derives them from <see cref="Ref"/> when empty.</summary>
    public IReadOnlyList<string> Refspecs { get; init; } = [];

    /// <summary>Shallow fetch depth; 0 fetches everything.</summary>
    public int Depth { get; init; }

    /// <summary><c>sha1</c> or <c>sha256</c>.</summary>
    public string? RepoObjectFormat { get; init; }

    /// <summary>Whether the ref is protected.</summary>
    public bool? Protected { get; init; }
}

/// <summary>Per-runner settings for the job (<c>runner_info</c>).</summary>
public sealed record RunnerInfo
{
    /// <summary>The runner's id on the server (a Relais addition; GitLab sends <c>uuid</c>).</summary>
    public string? Uuid { get; init; }

    /// <summary>The job timeout in seconds; 0 or less means the runner's default.</summary>
    public int Timeout { get; init; }

    /// <summary>The interactive session URL, if any.</summary>
    public string? RunnerSessionUrl { get; init; }
}

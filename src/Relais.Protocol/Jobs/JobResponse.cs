namespace Relais.Protocol.Jobs;

/// <summary>
/// The job payload: the 201 body of <c>POST /api/v4/jobs/request</c> (runner API v4). Field names are the
/// snake_case names GitLab sends; fields a coordinator leaves out take their defaults, as Go's decoder does.
/// </summary>
public sealed record JobResponse
{
    /// <summary>The job id (instance-wide).</summary>
    public long Id { get; set; }

    /// <summary>The job token: authenticates job-level calls (<c>JOB-TOKEN</c>) and is always masked in the log.</summary>
    public string Token { get; set; } = "";

    /// <summary>Whether <c>GIT_STRATEGY</c> defaults to <c>fetch</c> (true) or <c>clone</c> (false).</summary>
    public bool AllowGitFetch { get; set; }

    /// <summary>Job, pipeline and project identity.</summary>
    public JobInfo JobInfo { get; set; } = new();

    /// <summary>Where and what to check out.</summary>
    public GitInfo GitInfo { get; set; } = new();

    /// <summary>Per-runner settings for this job, notably the job timeout.</summary>
    public RunnerInfo RunnerInfo { get; set; } = new();

    /// <summary>The job's variables in precedence order (later keys win).</summary>
    public IReadOnlyList<JobVariable> Variables { get; set; } = [];

    /// <summary>The steps: <c>script</c> (before_script + script), optional <c>release</c>, and <c>after_script</c>.</summary>
    public IReadOnlyList<JobStep> Steps { get; set; } = [];

    /// <summary>Hooks such as <c>pre_get_sources_script</c>.</summary>
    public IReadOnlyList<JobHook> Hooks { get; set; } = [];

    /// <summary>The job image; null for jobs without one (shell executor jobs).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.Never)]
    public JobImage? Image { get; set; }

    /// <summary>Service containers.</summary>
    public IReadOnlyList<JobService> Services { get; set; } = [];

    /// <summary>One entry per artifact upload (the archive and each report).</summary>
    public IReadOnlyList<JobArtifact> Artifacts { get; set; } = [];

    /// <summary>Up to four caches.</summary>
    public IReadOnlyList<JobCache> Cache { get; set; } = [];

    /// <summary>Registry credentials.</summary>
    public IReadOnlyList<JobCredential> Credentials { get; set; } = [];

    /// <summary>Earlier jobs whose artifacts this job downloads.</summary>
    public IReadOnlyList<JobDependency> Dependencies { get; set; } = [];

    /// <summary>Server-side features the runner may use.</summary>
    public JobFeatures Features { get; set; } = new();

    /// <summary>The job's <c>run:</c> steps (CI steps) as a JSON string, when it has them.</summary>
    public string? Run { get; set; }

    /// <summary>
    /// A Relais addition (<c>relais_isolation_required</c>; gitlab-runner ignores it): the job's project is not trusted,
    /// so the job must run isolated from the runner's host — in a container even without <c>image:</c>, never in a shell.
    /// Left out (null) for trusted projects' jobs, so their payloads are unchanged.
    /// </summary>
    public bool? RelaisIsolationRequired { get; set; }

    /// <summary>Whether <see cref="RelaisIsolationRequired"/> is set.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsolationRequired => RelaisIsolationRequired == true;
}

/// <summary>Job, pipeline and project identity (<c>job_info</c>).</summary>
public sealed record JobInfo
{
    /// <summary>The job id.</summary>
    public long Id { get; set; }

    /// <summary>The job name, with its parallel or matrix suffix.</summary>
    public string Name { get; set; } = "";

    /// <summary>The stage name.</summary>
    public string Stage { get; set; } = "";

    /// <summary>The project id.</summary>
    public long ProjectId { get; set; }

    /// <summary>The project's name (last path segment).</summary>
    public string ProjectName { get; set; } = "";

    /// <summary>The pipeline id.</summary>
    public long? PipelineId { get; set; }

    /// <summary>The project's full path (<c>group/sub/project</c>).</summary>
    public string? ProjectFullPath { get; set; }

    /// <summary>The namespace id.</summary>
    public long? NamespaceId { get; set; }

    /// <summary>The top-level namespace id.</summary>
    public long? RootNamespaceId { get; set; }

    /// <summary>The user who started the pipeline or job.</summary>
    public long? UserId { get; set; }

    /// <summary>How long the job waited in the queue.</summary>
    public double? TimeInQueueSeconds { get; set; }
}

/// <summary>What to check out (<c>git_info</c>).</summary>
public sealed record GitInfo
{
    /// <summary>The clone URL; for local runs a path or <c>file://</c> URL is accepted too.</summary>
    public string RepoUrl { get; set; } = "";

    /// <summary>The branch or tag name.</summary>
    public string Ref { get; set; } = "";

    /// <summary>The commit to check out.</summary>
    public string Sha { get; set; } = "";

    /// <summary>The previous tip of the ref.</summary>
    public string? BeforeSha { get; set; }

    /// <summary><c>branch</c> or <c>tag</c>.</summary>
    public string? RefType { get; set; }

    /// <summary>The refspecs to fetch; the runner derives them from <see cref="Ref"/> when empty.</summary>
    public IReadOnlyList<string> Refspecs { get; set; } = [];

    /// <summary>Shallow fetch depth; 0 fetches everything.</summary>
    public int Depth { get; set; }

    /// <summary><c>sha1</c> or <c>sha256</c>.</summary>
    public string? RepoObjectFormat { get; set; }

    /// <summary>Whether the ref is protected.</summary>
    public bool? Protected { get; set; }
}

/// <summary>Per-runner settings for the job (<c>runner_info</c>).</summary>
public sealed record RunnerInfo
{
    /// <summary>The runner's id on the server (a Relais addition; GitLab sends <c>uuid</c>).</summary>
    public string? Uuid { get; set; }

    /// <summary>The job timeout in seconds; 0 or less means the runner's default.</summary>
    public int Timeout { get; set; }

    /// <summary>The interactive session URL, if any.</summary>
    public string? RunnerSessionUrl { get; set; }
}

using Relais.Protocol.Jobs;

namespace Relais.Runner.Agent;

/// <summary>The agent's configuration: global slots and the runners it serves (the YAML file, or the command line).</summary>
public sealed record AgentConfig
{
    /// <summary>How many jobs run at once across every runner entry (gitlab-runner's <c>concurrent</c>; default 1).</summary>
    public int Concurrent { get; init; } = 1;

    /// <summary>How long a graceful stop waits for running jobs before it aborts them (default 1 h; 0 waits forever).</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromHours(1);

    /// <summary>The runner entries.</summary>
    public IReadOnlyList<RunnerEntry> Runners { get; init; } = [];
}

/// <summary>One runner: a server, a token, an executor and its limits (a <c>runners:</c> entry).</summary>
public sealed record RunnerEntry
{
    /// <summary>The name shown in job logs (default: <c>relais-runner</c>).</summary>
    public string Name { get; init; } = "relais-runner";

    /// <summary>The server URL.</summary>
    public required Uri Url { get; init; }

    /// <summary>The runner authentication token (<c>glrt-…</c>).</summary>
    public required string Token { get; init; }

    /// <summary>The executor: <c>shell</c>, <c>docker</c>, or <c>auto</c> (docker for jobs with an image, shell for the others).</summary>
    public string Executor { get; init; } = "shell";

    /// <summary>The docker executor's settings (the entry's <c>docker:</c> block); its builds directory is <see cref="BuildsDir"/>.</summary>
    public Executors.Docker.DockerExecutorSettings? Docker { get; init; }

    /// <summary>
    /// <c>allow_untrusted</c>: a shell runner takes untrusted projects' jobs too and runs them in the shell, as its OS user
    /// (off by default: only trusted projects' jobs come to a shell runner). The docker and auto executors always take
    /// them, in containers.
    /// </summary>
    public bool AllowUntrusted { get; init; }

    /// <summary>
    /// Ask for untrusted projects' jobs even though this shell runner does not run them: they fail at once with a message
    /// saying why, rather than wait unexplained (the embedded runner of <c>relais serve</c> where no Docker engine answers).
    /// </summary>
    public bool RefusesUntrustedVisibly { get; init; }

    /// <summary>Whether the runner tells the server it takes untrusted projects' jobs (<c>info.features.untrusted_jobs</c>).</summary>
    public bool DeclaresUntrustedJobs => Executor is "docker" or "auto" || AllowUntrusted || RefusesUntrustedVisibly;

    /// <summary>How many jobs this entry runs at once (0: only <see cref="AgentConfig.Concurrent"/> limits it).</summary>
    public int Limit { get; init; }

    /// <summary>How many job requests this entry keeps open at once (default 1).</summary>
    public int RequestConcurrency { get; init; } = 1;

    /// <summary>The runner's tags, as registered on the server (informational: the server matches them).</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Where builds go (default <c>builds</c> under the working directory).</summary>
    public string BuildsDir { get; init; } = "builds";

    /// <summary>Where caches go (default <c>cache</c> under the working directory).</summary>
    public string CacheDir { get; init; } = "cache";

    /// <summary>Variables every job of this runner gets (<c>environment: ["KEY=value"]</c>), lowest precedence.</summary>
    public IReadOnlyList<JobVariable> Environment { get; init; } = [];

    /// <summary>The job log's size cap in bytes (default 4 MiB, as gitlab-runner's <c>output_limit</c>; 0: none).</summary>
    public long OutputLimit { get; init; } = Trace.JobLog.DefaultLimit;

    /// <summary>Commands run before the job's own <c>hooks:pre_get_sources_script</c>.</summary>
    public IReadOnlyList<string> PreGetSourcesScript { get; init; } = [];

    /// <summary>Commands run before each job's script, in the same shell.</summary>
    public IReadOnlyList<string> PreBuildScript { get; init; } = [];

    /// <summary>Commands run after each job's script, in the same shell.</summary>
    public IReadOnlyList<string> PostBuildScript { get; init; } = [];
}

/// <summary>The agent's timings; the defaults follow gitlab-runner, tests shorten them.</summary>
public sealed record AgentTimings
{
    /// <summary>The wait between job requests when the server does not hold them (gitlab-runner's <c>check_interval</c>, 3 s).</summary>
    public TimeSpan CheckInterval { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How often a quiet job sends <c>PUT state=running</c> (3 s; the server's update interval overrides it).</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>The longest keep-alive interval, whatever the server asks (30 s), so a cancel is never missed for long.</summary>
    public TimeSpan MaxKeepAliveInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Log bytes are patched at least this often while the job writes (1 s).</summary>
    public TimeSpan TraceInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A patch is sent as soon as this many bytes wait (256 KiB).</summary>
    public int TraceBatchBytes { get; init; } = 256 * 1024;

    /// <summary>How long the final trace flush and update may take (5 min).</summary>
    public TimeSpan ReportTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The longest wait before repeating a final update the server answered with 202 (30 s).</summary>
    public TimeSpan MaxUpdateRetryInterval { get; init; } = TimeSpan.FromSeconds(30);
}

using Relais.Protocol.Jobs;
using Relais.Runner.Variables;

namespace Relais.Runner.Executors;

/// <summary>What an executor is.</summary>
/// <param name="Name">The executor name: <c>shell</c>, <c>docker</c>.</param>
/// <param name="Shell">The shell scripts run in: <c>bash</c> or <c>sh</c>.</param>
/// <param name="DisposableEnvironment">Whether each job gets a fresh environment (sets <c>CI_DISPOSABLE_ENVIRONMENT</c>
/// rather than <c>CI_SHARED_ENVIRONMENT</c>).</param>
public sealed record ExecutorInfo(string Name, string Shell, bool DisposableEnvironment);

/// <summary>One job's environment as the runner asks for it; also the key an executor tracks its resources by.</summary>
public sealed record JobEnvironment
{
    /// <summary>The job id.</summary>
    public required long JobId { get; init; }

    /// <summary>Unique per run of a job (a job may be retried on the same runner).</summary>
    public required string RunId { get; init; }

    /// <summary>The project directory relative to the builds directory: <c>&lt;short token&gt;/&lt;concurrent project id&gt;/&lt;project path&gt;</c>.</summary>
    public required string ProjectDirName { get; init; }

    /// <summary>The runner slot (<c>CI_CONCURRENT_ID</c>).</summary>
    public int ConcurrentId { get; init; }

    /// <summary>The job image, or null.</summary>
    public JobImage? Image { get; init; }

    /// <summary>The payload's <c>relais_isolation_required</c>: the job must not run in the runner's own shell.</summary>
    public bool IsolationRequired { get; init; }

    /// <summary>Service containers.</summary>
    public IReadOnlyList<JobService> Services { get; init; } = [];

    /// <summary>Labels for every resource created for the job (<c>relais.job.id</c>, <c>relais.runner</c>).</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>The job's variables, runner and payload ones expanded (services get them; <c>DOCKER_AUTH_CONFIG</c>, <c>CI_DEBUG_SERVICES</c>).</summary>
    public JobVariables Variables { get; init; } = new([]);

    /// <summary>The payload's credentials (registry logins for pulls).</summary>
    public IReadOnlyList<JobCredential> Credentials { get; init; } = [];
}

/// <summary>
/// Where the job's files are: as scripts see them, and as the runner reaches them on this host. After a successful
/// prepare both host directories exist; the runner writes the checkout, caches, artifacts and file variables there.
/// </summary>
/// <param name="BuildsDir">The builds root as scripts see it (<c>CI_BUILDS_DIR</c>).</param>
/// <param name="ProjectDir">The checkout as scripts see it (<c>CI_PROJECT_DIR</c>).</param>
/// <param name="TempDir">A per-job temporary directory as scripts see it (file variables live here).</param>
/// <param name="HostProjectDir">The checkout on the runner's host.</param>
/// <param name="HostTempDir">The temporary directory on the runner's host.</param>
public sealed record JobPaths(string BuildsDir, string ProjectDir, string TempDir, string HostProjectDir, string HostTempDir)
{
    /// <summary>Maps a path under <see cref="HostTempDir"/> to the path scripts see.</summary>
    public string TempPathForScripts(string name) => CombineForScripts(TempDir, name);

    private static string CombineForScripts(string dir, string name) => dir.TrimEnd('/') + "/" + name;
}

/// <summary>The result of <see cref="IExecutor.PrepareAsync"/>.</summary>
/// <param name="Paths">The environment's paths when it was created.</param>
/// <param name="FailureReason">The failure reason (<c>image_pull_failure</c>, ...) when it was not.</param>
/// <param name="Error">What went wrong, for the log.</param>
public readonly record struct PrepareResult(JobPaths? Paths, string? FailureReason, string? Error)
{
    /// <summary>Whether the environment is ready.</summary>
    public bool Succeeded => Paths is not null && Error is null;

    /// <summary>A ready environment.</summary>
    public static PrepareResult Ready(JobPaths paths) => new(paths, null, null);

    /// <summary>An environment that could not be created.</summary>
    public static PrepareResult Failed(string failureReason, string error) => new(null, failureReason, error);
}

/// <summary>A script to run in a new shell.</summary>
public sealed record ScriptRequest
{
    /// <summary>The stage or hook name (<c>step_script</c>, <c>after_script</c>), used for file names and messages.</summary>
    public required string Name { get; init; }

    /// <summary>The commands; each is echoed as <c>$ command</c> in green before it runs.</summary>
    public required IReadOnlyList<string> Commands { get; init; }

    /// <summary>The environment variables of the shell, in addition to the executor's base environment.</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> Environment { get; init; }

    /// <summary>Where the shell starts, as scripts see it; the project directory when null.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Whether the shell traces every command (<c>CI_DEBUG_TRACE</c>).</summary>
    public bool DebugTrace { get; init; }

    /// <summary>
    /// Whether the runner reads the project directory on the host after this script (to save caches or upload
    /// artifacts, or in a later step on the host). When false, an executor that runs scripts on a copy of the project
    /// directory need not bring the script's changes back to <see cref="JobPaths.HostProjectDir"/>; its later scripts
    /// must still see them.
    /// </summary>
    public bool HostReadsChanges { get; init; } = true;
}

/// <summary>How a script ended.</summary>
public enum ScriptEnd
{
    /// <summary>The shell exited on its own; see <see cref="ScriptResult.ExitCode"/>.</summary>
    Exited,

    /// <summary>The token fired and the script's processes were stopped.</summary>
    Canceled,

    /// <summary>The script could not be run (the shell is missing, the environment is gone).</summary>
    SystemFailure,
}

/// <summary>The result of <see cref="IExecutor.RunScriptAsync"/>.</summary>
/// <param name="End">How the script ended.</param>
/// <param name="ExitCode">The shell's exit code (when it exited).</param>
/// <param name="Error">What went wrong, for <see cref="ScriptEnd.SystemFailure"/>.</param>
public readonly record struct ScriptResult(ScriptEnd End, int ExitCode, string? Error = null)
{
    /// <summary>Whether the script exited with 0.</summary>
    public bool Succeeded => End == ScriptEnd.Exited && ExitCode == 0;

    /// <summary>An exit with <paramref name="exitCode"/>.</summary>
    public static ScriptResult Exit(int exitCode) => new(ScriptEnd.Exited, exitCode);

    /// <summary>A stopped script.</summary>
    public static ScriptResult Canceled() => new(ScriptEnd.Canceled, -1);

    /// <summary>A script that could not run.</summary>
    public static ScriptResult Failure(string error) => new(ScriptEnd.SystemFailure, -1, error);
}

using System.Text;
using Relais.Protocol;
using Relais.Runner.Shells;
using Relais.Runner.Trace;

namespace Relais.Runner.Executors.Shell;

/// <summary>
/// Runs scripts with the host's bash (else sh), in <c>&lt;builds dir&gt;/&lt;project dir name&gt;</c> and a
/// <c>.tmp</c> directory beside it. Each script is written to a file in the temporary directory and run by a new
/// shell that leads its own process group. The environment is not disposable: the project directory stays for the
/// next job of the same slot (so <c>GIT_STRATEGY=fetch</c> reuses it); the temporary directory is removed on cleanup.
/// </summary>
public sealed class ShellExecutor : IExecutor
{
    /// <summary>Why a job that must be isolated is not run here (its log and failure say so).</summary>
    public const string UntrustedRefusal =
        "this job's project is not trusted, so the job must run isolated from the runner's host (in a container), and this runner "
        + "has only the shell executor: it refuses to run it. Run it on a runner with the docker executor (relais serve: start it where "
        + "a Docker engine answers), ask an administrator to mark the project trusted, or set allow_untrusted: true on a shell runner "
        + "whose host may run anyone's code (docs/security.md, \"Job isolation: the trust model\")";

    private static readonly UTF8Encoding NoBom = new(encoderShouldEmitUTF8Identifier: false);
    private readonly ShellExecutorOptions _options;
    private readonly ShellCommand _shell;

    /// <summary>Creates the executor; finds the shell once.</summary>
    public ShellExecutor(ShellExecutorOptions options)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _shell = ShellCommand.Detect(options.Shell, options.LoginShell);
        Info = new ExecutorInfo("shell", _shell.ShellName, DisposableEnvironment: false);
    }

    /// <inheritdoc />
    public ExecutorInfo Info { get; }

    /// <inheritdoc />
    public Task<PrepareResult> PrepareAsync(JobEnvironment environment, IJobLog log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(log);
        if (environment.IsolationRequired && !_options.AllowUntrusted)
        {
            return Task.FromResult(PrepareResult.Failed(FailureReasons.RunnerConfigurationError, UntrustedRefusal));
        }

        var paths = PathsOf(environment);
        Directory.CreateDirectory(paths.HostProjectDir);
        Directory.CreateDirectory(paths.HostTempDir);
        log.Info($"Using Shell ({_shell.ShellName}) executor...");
        if (Relais.Runner.Docker.RegistryCa.Of(environment.Variables) is { } ca && _options.HostCertsDir is { } certs && ca.IsTheCoordinators(environment.Credentials))
        {
            ca.TrustOnHost(certs, log); // the job's docker commands use this host's engine
        }

        return Task.FromResult(PrepareResult.Ready(paths));
    }

    /// <inheritdoc />
    public async Task<ScriptResult> RunScriptAsync(
        JobEnvironment environment, ScriptRequest script, IJobLog log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(script);
        ArgumentNullException.ThrowIfNull(log);
        if (cancellationToken.IsCancellationRequested)
        {
            return ScriptResult.Canceled();
        }

        var paths = PathsOf(environment);
        if (!Directory.Exists(paths.HostProjectDir) || !Directory.Exists(paths.HostTempDir))
        {
            return ScriptResult.Failure("the job's build directory is gone");
        }

        var file = Path.Combine(paths.HostTempDir, $"script_{script.Name}.sh");
        await File.WriteAllTextAsync(file, ShellScript.Render(script, _shell.ShellName), NoBom, CancellationToken.None);
        var workingDirectory = script.WorkingDirectory ?? paths.ProjectDir;
        return await ScriptProcess.RunAsync(
            _shell, file, workingDirectory, script.Environment, log, _options.KillGracePeriod, cancellationToken);
    }

    /// <inheritdoc />
    public Task CleanupAsync(JobEnvironment environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        Files.Directories.DeleteRecursively(PathsOf(environment).HostTempDir);

        return Task.CompletedTask;
    }

    private JobPaths PathsOf(JobEnvironment environment)
    {
        var root = Path.GetFullPath(_options.BuildsDir);
        var project = Path.GetFullPath(Path.Combine(root, environment.ProjectDirName));
        if (!project.StartsWith(root.TrimEnd('/') + "/", StringComparison.Ordinal))
        {
            throw new ArgumentException($"the project directory '{environment.ProjectDirName}' leaves the builds directory");
        }

        var temp = project + ".tmp";
        return new JobPaths(root, project, temp, project, temp);
    }
}

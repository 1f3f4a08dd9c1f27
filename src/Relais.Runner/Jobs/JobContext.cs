using System.Globalization;
using Relais.Protocol;
using Relais.Protocol.Jobs;
using Relais.Runner.Artifacts;
using Relais.Runner.Caching;
using Relais.Runner.Executors;
using Relais.Runner.Sources;
using Relais.Runner.Trace;
using Relais.Runner.Variables;

namespace Relais.Runner.Jobs;

/// <summary>Everything the stages of one job share. Stages run one after another, so it needs no lock.</summary>
internal sealed class JobContext
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly List<string> _fileVariableFiles = [];
    private IReadOnlyList<KeyValuePair<string, string>>? _environment;
    private string _environmentStatus = "";

    public required JobResponse Job { get; init; }
    public required RunnerSettings Settings { get; init; }
    public required JobRunOptions Options { get; init; }
    public required IExecutor Executor { get; init; }
    public required JobEnvironment Environment { get; init; }
    public required JobLog Log { get; init; }
    public required TimeProvider Time { get; init; }
    public required ISourceProvider Sources { get; init; }
    public required ICacheStore Cache { get; init; }
    public required IArtifactStore Artifacts { get; init; }
    public required TimeSpan JobTimeout { get; init; }

    /// <summary>The environment's paths, once prepared.</summary>
    public JobPaths? Paths { get; private set; }

    /// <summary>The job's variables (payload, runner-defined and predefined), once prepared.</summary>
    public JobVariables Variables { get; private set; } = new([]);

    /// <summary>Resolved cache keys, by index in <c>cache[]</c> (restore resolves them, archive reuses them).</summary>
    public Dictionary<int, ResolvedCacheKey> CacheKeys { get; } = [];

    /// <summary><c>CI_JOB_STATUS</c>: <c>running</c>, then the job's status for after_script.</summary>
    public string Status { get; set; } = "running";

    public SourceContext SourceContext => new(Job, Variables, Paths!, Log);

    /// <summary>Records the prepared paths and builds the variables.</summary>
    public void Attach(JobPaths paths)
    {
        Paths = paths;
        Variables = PredefinedVariables.Build(this, paths);
    }

    /// <summary>
    /// Writes file variables into the temporary directory, readable and writable by the job's user only (0600, so
    /// <c>ssh-add "$SSH_PRIVATE_KEY"</c> accepts a key); their values become the paths scripts see.
    /// </summary>
    public void WriteFileVariables()
    {
        foreach (var variable in Variables.Where(v => v.File))
        {
            var host = Path.Combine(Paths!.HostTempDir, variable.Key);
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = OwnerOnly;
            }

            using (var stream = new FileStream(host, options))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(variable.Value);
            }

            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(host, OwnerOnly); // a file left from an earlier attempt keeps its mode otherwise
            }

            _fileVariableFiles.Add(host);
        }
    }

    /// <summary>Removes the file variables again (idempotent).</summary>
    public void RemoveFileVariables()
    {
        foreach (var file in _fileVariableFiles)
        {
            File.Delete(file);
        }
    }

    /// <summary>
    /// Runs a script in the environment and turns the result into a stage result. <paramref name="hostReadsChanges"/>:
    /// whether anything on the host reads the project directory after it (<see cref="ScriptRequest.HostReadsChanges"/>).
    /// </summary>
    public async Task<StageResult> RunScriptAsync(string name, IReadOnlyList<string> commands, CancellationToken cancellationToken, bool hostReadsChanges = true)
    {
        var request = new ScriptRequest
        {
            Name = name,
            Commands = commands,
            Environment = ScriptEnvironment(),
            DebugTrace = Variables.IsTrue("CI_DEBUG_TRACE"),
            HostReadsChanges = hostReadsChanges,
        };
        var result = await Executor.RunScriptAsync(Environment, request, Log, cancellationToken);
        return result.End switch
        {
            ScriptEnd.Exited when result.ExitCode == 0 => StageResult.Ok,
            ScriptEnd.Exited => StageResult.Failed(FailureReasons.ScriptFailure, $"exit code {result.ExitCode}", result.ExitCode),
            ScriptEnd.Canceled => StageResult.Interrupted(),
            _ => StageResult.Failed(FailureReasons.RunnerSystemFailure, result.Error ?? "the script could not run"),
        };
    }

    /// <summary>The variables as process environment: later keys win, file variables point at their files.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ScriptEnvironment()
    {
        if (_environment is not null && _environmentStatus == Status)
        {
            return _environment;
        }

        var variables = Variables.With("CI_JOB_STATUS", Status);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var variable in variables)
        {
            if (!values.ContainsKey(variable.Key))
            {
                order.Add(variable.Key);
            }

            values[variable.Key] = variable.File ? Paths!.TempPathForScripts(variable.Key) : variable.Value;
        }

        _environmentStatus = Status;
        return _environment = order.Select(k => new KeyValuePair<string, string>(k, values[k])).ToArray();
    }

    /// <summary>How many attempts a stage gets (<c>GET_SOURCES_ATTEMPTS</c> and friends: 1 to 10, default 1).</summary>
    public int Attempts(string variable) =>
        int.TryParse(Variables.Get(variable), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 10 ? n : 1;
}

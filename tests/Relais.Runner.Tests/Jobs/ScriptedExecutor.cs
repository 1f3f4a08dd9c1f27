using Relais.Runner.Executors;
using Relais.Runner.Trace;

namespace Relais.Runner.Tests.Jobs;

/// <summary>
/// A fake executor for the job-stage logic: it records every call and answers scripts from a table, without
/// starting processes. A script mapped to <see cref="Block"/> waits until its token fires.
/// </summary>
public sealed class ScriptedExecutor(string root) : IExecutor
{
    public static readonly ScriptResult Block = new(ScriptEnd.Canceled, -99);

    private readonly Lock _lock = new();

    public List<string> Calls { get; } = [];

    public Dictionary<string, ScriptResult> Results { get; } = [];

    public Dictionary<string, IReadOnlyList<KeyValuePair<string, string>>> Environments { get; } = [];

    public PrepareResult? PrepareOverride { get; set; }

    public Exception? ThrowOnScript { get; set; }

    public ExecutorInfo Info { get; } = new("scripted", "bash", DisposableEnvironment: true);

    public Task<PrepareResult> PrepareAsync(JobEnvironment environment, IJobLog log, CancellationToken cancellationToken)
    {
        Record("prepare");
        if (PrepareOverride is { } result)
        {
            return Task.FromResult(result);
        }

        var project = Path.Combine(root, environment.ProjectDirName);
        Directory.CreateDirectory(project);
        Directory.CreateDirectory(project + ".tmp");
        return Task.FromResult(PrepareResult.Ready(new JobPaths("/builds", "/builds/" + environment.ProjectDirName, "/builds/" + environment.ProjectDirName + ".tmp", project, project + ".tmp")));
    }

    public async Task<ScriptResult> RunScriptAsync(JobEnvironment environment, ScriptRequest script, IJobLog log, CancellationToken cancellationToken)
    {
        Record("script:" + script.Name);
        lock (_lock)
        {
            Environments[script.Name] = script.Environment;
        }

        if (ThrowOnScript is not null)
        {
            throw ThrowOnScript;
        }

        foreach (var command in script.Commands)
        {
            log.Write(System.Text.Encoding.UTF8.GetBytes(command + "\n"));
        }

        var result = Results.GetValueOrDefault(script.Name, ScriptResult.Exit(0));
        if (result == Block)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return ScriptResult.Canceled();
            }
        }

        return result;
    }

    public Task CleanupAsync(JobEnvironment environment, CancellationToken cancellationToken)
    {
        Record("cleanup");
        return Task.CompletedTask;
    }

    public string Env(string script, string key) => Environments[script].Last(kv => kv.Key == key).Value;

    private void Record(string call)
    {
        lock (_lock)
        {
            Calls.Add(call);
        }
    }
}

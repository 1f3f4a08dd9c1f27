using Relais.Runner.Executors;
using Relais.Runner.Trace;

namespace Relais.Runner.Tests.Conformance;

/// <summary>Passes every call to the executor under test and remembers the paths and calls, for assertions.</summary>
public sealed class RecordingExecutor(IExecutor inner) : IExecutor
{
    private int _cleanups;

    public JobPaths? LastPaths { get; private set; }

    public int Cleanups => _cleanups;

    public ExecutorInfo Info => inner.Info;

    public async Task<PrepareResult> PrepareAsync(JobEnvironment environment, IJobLog log, CancellationToken cancellationToken)
    {
        var result = await inner.PrepareAsync(environment, log, cancellationToken);
        LastPaths = result.Paths ?? LastPaths;
        return result;
    }

    public Task<ScriptResult> RunScriptAsync(JobEnvironment environment, ScriptRequest script, IJobLog log, CancellationToken cancellationToken) =>
        inner.RunScriptAsync(environment, script, log, cancellationToken);

    public Task CleanupAsync(JobEnvironment environment, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _cleanups);
        return inner.CleanupAsync(environment, cancellationToken);
    }
}

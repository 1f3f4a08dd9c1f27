using System.Collections.Concurrent;
using Relais.Runner.Trace;

namespace Relais.Runner.Executors;

/// <summary>
/// The <c>auto</c> executor: a job with an <c>image:</c> runs in the container executor, and so does a job that must be
/// isolated (<see cref="JobEnvironment.IsolationRequired"/>: an untrusted project's, which then gets the runner's default
/// image); any other runs in the shell one.
/// The choice is made at prepare and kept until cleanup. Its <see cref="Info"/> is the shell executor's (with the name
/// <c>auto</c>); each executor says which one it is in its first log line.
/// </summary>
public sealed class ImageRoutingExecutor(IExecutor withImage, IExecutor withoutImage) : IExecutor
{
    private readonly ConcurrentDictionary<string, IExecutor> _chosen = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ExecutorInfo Info { get; } = withoutImage.Info with { Name = "auto" };

    /// <inheritdoc />
    public Task<PrepareResult> PrepareAsync(JobEnvironment environment, IJobLog log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var executor = environment.Image is { Name.Length: > 0 } || environment.IsolationRequired ? withImage : withoutImage;
        _chosen[environment.RunId] = executor;
        return executor.PrepareAsync(environment, log, cancellationToken);
    }

    /// <inheritdoc />
    public Task<ScriptResult> RunScriptAsync(JobEnvironment environment, ScriptRequest script, IJobLog log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return _chosen.TryGetValue(environment.RunId, out var executor)
            ? executor.RunScriptAsync(environment, script, log, cancellationToken)
            : Task.FromResult(ScriptResult.Failure("the job was not prepared"));
    }

    /// <inheritdoc />
    public Task CleanupAsync(JobEnvironment environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return _chosen.TryRemove(environment.RunId, out var executor) ? executor.CleanupAsync(environment, cancellationToken) : Task.CompletedTask;
    }
}

using Relais.Runner.Trace;

namespace Relais.Runner.Executors;

/// <summary>
/// An executor runs scripts in a job environment; it knows nothing of stages, caches or artifacts (those live once,
/// in <see cref="Jobs.JobRunner"/>). One instance serves every job of a runner.
/// <para><b>Call order, per job</b> (one <see cref="JobEnvironment"/>):</para>
/// <list type="number">
/// <item><see cref="PrepareAsync"/> once: create the environment (directories, containers, networks), report its
/// <see cref="JobPaths"/>.</item>
/// <item><see cref="RunScriptAsync"/> zero or more times, strictly one after another: hooks, <c>step_script</c>,
/// <c>after_script</c>, each in a new shell. Between calls the runner reads and writes the job's files through
/// <see cref="JobPaths.HostProjectDir"/> (git checkout, cache, artifacts), so the project directory must be shared
/// with the host (a bind mount for containers).</item>
/// <item><see cref="CleanupAsync"/> exactly once, always: also after a failed or cancelled
/// <see cref="PrepareAsync"/>, after an exception, and when the job was aborted. It must be idempotent and must
/// remove whatever it can find for the environment (label resources with <see cref="JobEnvironment.Labels"/> so a
/// reaper can find them after a crash). It runs on a token that outlives the job's own (its own timeout).</item>
/// </list>
/// <para><b>Concurrency</b>: calls for different environments run concurrently (one per runner slot, distinct
/// <see cref="JobEnvironment.ConcurrentId"/>); calls for one environment never overlap.</para>
/// <para><b>Results are values</b>: a non-zero exit is a <see cref="ScriptResult"/>, not an exception; an expected
/// failure to prepare (image pull) is a failed <see cref="PrepareResult"/>. An exception means a bug or a broken host:
/// the runner reports it as <c>runner_system_failure</c>.</para>
/// <para><b>Cancellation</b>: when the token passed to <see cref="RunScriptAsync"/> fires (cancel, timeout), the
/// executor stops the script and everything it started (the whole process tree: SIGTERM, then SIGKILL after a grace
/// period), waits for it to be gone, and returns <see cref="ScriptEnd.Canceled"/>. The runner decides whether that was
/// a cancel or a timeout.</para>
/// </summary>
public interface IExecutor
{
    /// <summary>What the executor is (name, shell, whether environments are thrown away after a job).</summary>
    ExecutorInfo Info { get; }

    /// <summary>Creates the environment of one job. Messages go to <paramref name="log"/>.</summary>
    Task<PrepareResult> PrepareAsync(JobEnvironment environment, IJobLog log, CancellationToken cancellationToken);

    /// <summary>
    /// Runs <paramref name="script"/> in a new shell of the environment with <c>errexit</c> semantics, streaming its
    /// stdout and stderr to <paramref name="log"/>. The shell's stdin is empty.
    /// </summary>
    Task<ScriptResult> RunScriptAsync(
        JobEnvironment environment, ScriptRequest script, IJobLog log, CancellationToken cancellationToken);

    /// <summary>Removes the environment. Idempotent; safe after a failed or partial <see cref="PrepareAsync"/>.</summary>
    Task CleanupAsync(JobEnvironment environment, CancellationToken cancellationToken);
}

using Relais.Engine;
using Relais.Protocol;
using Relais.Server.Pipelines;
using Relais.Server.Storage;

namespace Relais.Server.Reliability;

/// <summary>
/// Fails the jobs nobody will finish, through the engine so <c>retry:</c> applies: a running job whose runner has been
/// silent for <see cref="ServerOptions.JobHeartbeatTimeout"/> gets <see cref="RunnerLost"/> (<c>runner_system_failure</c>),
/// a job pending for <see cref="ServerOptions.JobPendingTimeout"/> fails with <c>stuck_or_timeout_failure</c>. Safe with
/// several coordinators: each failure is one engine transition on the locked pipeline, and the decision re-checks the
/// job's state inside it, so a job is failed once and a job a runner just claimed is left alone.
/// </summary>
public sealed class JobWatchdog(IPipelineStore store, PipelineDriver driver, ServerOptions options, DateTimeOffset startedAt)
{
    private const int Batch = 100;

    /// <summary>Jobs failed so far by this watchdog (runner lost, stuck pending).</summary>
    public (int RunnerLost, int Stuck) Failed => (_lost, _stuck);

    private int _lost;
    private int _stuck;

    /// <summary>One pass over silent running jobs and stuck pending jobs.</summary>
    public async Task CheckAsync()
    {
        var now = options.Time.GetUtcNow();

        // A coordinator that just (re)started gives runners a full timeout to reach it again before judging them.
        if (now - startedAt >= options.JobHeartbeatTimeout)
        {
            var silentSince = now - options.JobHeartbeatTimeout;
            foreach (var job in await store.SilentJobsAsync(silentSince, Batch))
            {
                if (await store.IsSilentAsync(job.Id, silentSince)
                    && await driver.TransitionAsync(job.PipelineId, s => LoseRunner(s, job, now)) is not null)
                {
                    Interlocked.Increment(ref _lost);
                }
            }
        }

        foreach (var job in await store.PendingSinceAsync(now - options.JobPendingTimeout, Batch))
        {
            if (await driver.TransitionAsync(job.PipelineId, s => FailStuck(s, job, now)) is not null)
            {
                Interlocked.Increment(ref _stuck);
            }
        }
    }

    private static EngineStep LoseRunner(PipelineState? state, JobRecord job, DateTimeOffset now) =>
        Still(state, job, CiStatus.Running, CiStatus.Canceling) ?? PipelineEngine.Apply(state!, new RunnerLost(now, job.Name, job.Attempt));

    private static EngineStep FailStuck(PipelineState? state, JobRecord job, DateTimeOffset now) =>
        Still(state, job, CiStatus.Pending, CiStatus.Pending)
        ?? PipelineEngine.Apply(state!, JobFinished.Failure(now, job.Name, job.Attempt, FailureReasons.StuckOrTimeoutFailure));

    /// <summary>Null when the attempt is still in one of the statuses; otherwise a rejected step that changes nothing.</summary>
    private static EngineStep? Still(PipelineState? state, JobRecord job, CiStatus a, CiStatus b)
    {
        ArgumentNullException.ThrowIfNull(state);
        var current = state.Job(job.Name);
        return current is not null && current.Attempt == job.Attempt && (current.Status == a || current.Status == b)
            ? null
            : new EngineStep(state, [], new EngineRejection("watchdog_stale", $"'{job.Name}' attempt {job.Attempt} moved on"));
    }
}

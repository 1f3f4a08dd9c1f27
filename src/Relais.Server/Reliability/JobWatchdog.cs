using Relais.Driver;
using Relais.Engine;
using Relais.Protocol;
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
                    && await driver.ApplyIfAsync(job.PipelineId, s => Still(s, job, CiStatus.Running, CiStatus.Canceling), new RunnerLost(now, job.Name, job.Attempt)) is not null)
                {
                    Interlocked.Increment(ref _lost);
                }
            }
        }

        foreach (var job in await store.PendingSinceAsync(now - options.JobPendingTimeout, Batch))
        {
            var stuck = JobFinished.Failure(now, job.Name, job.Attempt, FailureReasons.StuckOrTimeoutFailure);
            if (await driver.ApplyIfAsync(job.PipelineId, s => Still(s, job, CiStatus.Pending, CiStatus.Pending), stuck) is not null)
            {
                Interlocked.Increment(ref _stuck);
            }
        }
    }

    /// <summary>The guard checked in the pipeline's turn: the attempt is still current and in one of the statuses.</summary>
    private static bool Still(PipelineState state, JobRecord job, CiStatus a, CiStatus b) =>
        state.Job(job.Name) is { } current && current.Attempt == job.Attempt && (current.Status == a || current.Status == b);
}

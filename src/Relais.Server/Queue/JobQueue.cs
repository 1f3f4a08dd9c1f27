using System.Collections.Concurrent;
using Relais.Driver;
using Relais.Engine;
using Relais.Protocol.Jobs;
using Relais.Protocol;
using Relais.Protocol.Requests;
using Relais.Server.Auth;
using Relais.Server.Pipelines;
using Relais.Server.Storage;

namespace Relais.Server.Queue;

/// <summary>
/// Hands pending jobs to runners, each exactly once. A request walks the oldest pending jobs whose tags the
/// runner matches and tries to claim them one by one; the claim is the store's conditional update
/// (<c>WHERE status = 'pending'</c>) in the same transaction as the engine's <see cref="JobStarted"/>, so a
/// job lost to another runner is simply skipped. <see cref="WaitAsync"/> adds long polling on top: woken by this
/// coordinator's <see cref="QueueSignal"/>, and looking again every <paramref name="recheck"/> for jobs another
/// coordinator on the same database created; <see cref="Stop"/> (shutdown) answers every waiting request at once.
/// A job of an untrusted project (<see cref="ProjectTrust"/>, asked at hand-out) goes only to a runner that isolates
/// jobs (<see cref="RunnerIsolation"/>), and its payload says so (<c>relais_isolation_required</c>); other runners pass it by.
/// A runner is offered only the jobs of projects its type reaches (<see cref="RunnerReach"/>).
/// </summary>
#pragma warning disable CA1001 // _stopping lives as long as the server; nothing to release before the process ends
public sealed class JobQueue(IPipelineStore store, PipelineDriver driver, PayloadFactory payloads, ProjectTrust trust, QueueSignal signal, TimeProvider time, TimeSpan? recheck = null)
{
    private const int CandidatesPerRequest = 100;
    private readonly CancellationTokenSource _stopping = new();
#pragma warning restore CA1001
    private readonly TimeSpan _recheck = recheck ?? Timeout.InfiniteTimeSpan;

    /// <summary>Checked before a job is handed out (issue #16: outdated deployment jobs are dropped); null: none.</summary>
    public IHandOutCheck? HandOutCheck { get; set; }

    /// <summary>Ends every long poll now (they answer "no job") and every later one at once: the server is stopping.</summary>
    public void Stop() => _stopping.Cancel();

    /// <summary>Jobs a request of this process is claiming right now: other requests here skip them rather than queue behind the same claim.</summary>
    private readonly ConcurrentDictionary<long, byte> _claiming = new();

    /// <summary>
    /// Claims a job for <paramref name="runner"/> and builds its payload; null when nothing matches now. <paramref name="info"/>
    /// is what the runner said of itself (null: nothing, so it is given only trusted projects' jobs).
    /// </summary>
    public async Task<JobResponse?> TryDispatchAsync(RunnerRecord runner, RunnerDetails? info = null)
    {
        ArgumentNullException.ThrowIfNull(runner);
        var isolates = RunnerIsolation.Isolates(info);
        var trusted = new Dictionary<long, bool>();
        foreach (var job in await store.PendingJobsAsync(CandidatesPerRequest, trustedProjectsOnly: !isolates, reachableBy: runner))
        {
            if (!TagMatcher.Matches(Tags.Split(job.Tags), runner))
            {
                continue;
            }

            if (!trusted.TryGetValue(job.ProjectId, out var isTrusted))
            {
                trusted[job.ProjectId] = isTrusted = await trust.IsTrustedAsync(job.ProjectId);
            }

            if ((!isTrusted && !isolates) || !_claiming.TryAdd(job.Id, 0))
            {
                continue;
            }

            if (HandOutCheck is { } check && await DroppedAsync(check, job))
            {
                continue; // failed instead (an outdated deployment job)
            }

            var token = Tokens.New(Tokens.JobPrefix);
            var now = time.GetUtcNow();
            var claim = new JobClaim(job.Id, runner.Id, Tokens.Hash(token), now);
            try
            {
                if (await driver.ApplyAsync(job.PipelineId, new JobStarted(now, job.Name, job.Attempt), claim) is null)
                {
                    continue;
                }
            }
            finally
            {
                _claiming.TryRemove(job.Id, out _);
            }

            var payload = await payloads.BuildAsync(job with { Status = CiStatus.Running, RunnerId = runner.Id }, token, now);
            payload.RelaisIsolationRequired = isTrusted ? null : true;
            return payload;
        }

        return null;
    }

    /// <summary>Runs the check on a job this request is claiming; a dropped job (or a failed check) leaves the claiming set.</summary>
    private async Task<bool> DroppedAsync(IHandOutCheck check, JobRecord job)
    {
        var dropped = true;
        try
        {
            dropped = await check.DroppedAsync(job, CancellationToken.None);
            return dropped;
        }
        finally
        {
            if (dropped)
            {
                _claiming.TryRemove(job.Id, out _);
            }
        }
    }

    /// <summary>Long polling: answers as soon as a job is claimed, or null once <paramref name="hold"/> has passed.</summary>
    public async Task<JobResponse?> WaitAsync(RunnerRecord runner, RunnerDetails? info, TimeSpan hold, CancellationToken cancel)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel, _stopping.Token);
        timeout.CancelAfter(hold);
        while (true)
        {
            var next = signal.Next; // taken before looking, so a job enqueued meanwhile still wakes us
            if (await TryDispatchAsync(runner, info) is { } job)
            {
                return job;
            }

            try
            {
                await next.WaitAsync(_recheck, time, timeout.Token);
            }
            catch (TimeoutException)
            {
                // Look again: another coordinator may have queued a job.
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }
    }
}

using System.Collections.Concurrent;
using Relais.Server.Storage;

namespace Relais.Server.Reliability;

/// <summary>
/// A running job's heartbeat: every update, trace patch or artifact call of its runner counts. The time is written
/// to the job row (so every coordinator and a restarted one see it), at most once per <c>timeout / 10</c> per job,
/// so a chatty trace does not turn into a database write per patch, and a job of a few seconds into none at all.
/// </summary>
public sealed class JobHeartbeats(IPipelineStore store, TimeProvider time, TimeSpan timeout)
{
    private readonly ConcurrentDictionary<long, DateTimeOffset> _written = new();
    private readonly TimeSpan _every = timeout / 10;

    /// <summary>Notes that the runner of <paramref name="jobId"/> was heard from now.</summary>
    public async Task SeenAsync(long jobId)
    {
        var now = time.GetUtcNow();
        if (_written.TryGetValue(jobId, out var last) && now - last < _every)
        {
            return;
        }

        _written[jobId] = now;
        await store.TouchJobAsync(jobId, now);
    }

    /// <summary>
    /// Notes that this coordinator just handed <paramref name="jobId"/> to a runner. The watchdog counts the job's
    /// <c>started_at</c> as its first heartbeat, so the runner's first reports need no write of their own.
    /// </summary>
    public void Started(long jobId) => _written[jobId] = time.GetUtcNow();

    /// <summary>Forgets jobs not heard from for a while (the watchdog calls it), so the map stays small.</summary>
    public void Prune()
    {
        var before = time.GetUtcNow() - (_every * 20);
        foreach (var (job, at) in _written)
        {
            if (at < before)
            {
                _written.TryRemove(job, out _);
            }
        }
    }
}

using Relais.Engine;

namespace Relais.Server.Pipelines;

/// <summary>
/// <c>resource_group</c> across the pipelines of one coordinator: one job at a time per (project, group),
/// the others granted in the order they asked (GitLab's <c>oldest_first</c>). Holders live in memory: a
/// restart, or a second coordinator, does not share them yet (docs/server.md).
/// </summary>
public sealed class ResourceGroups
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(long Project, string Group), (long Pipeline, string Job, int Attempt)> _holders = [];
    private readonly Dictionary<(long Project, string Group), Queue<(long Pipeline, string Job, int Attempt)>> _waiting = [];

    /// <summary>Records the request; returns the job to grant now, if the group was free.</summary>
    public (long Pipeline, string Job, int Attempt)? Request(long project, long pipeline, RequestResource request)
    {
        var key = (project, request.Group);
        var job = (pipeline, request.Job, request.Attempt);
        lock (_lock)
        {
            if (_holders.TryAdd(key, job))
            {
                return job;
            }

            if (!_waiting.TryGetValue(key, out var queue))
            {
                _waiting[key] = queue = new Queue<(long, string, int)>();
            }

            queue.Enqueue(job);
            return null;
        }
    }

    /// <summary>Frees the group if this job held it; returns the next job to grant, if one waits.</summary>
    public (long Pipeline, string Job, int Attempt)? Release(long project, long pipeline, ReleaseResource release)
    {
        var key = (project, release.Group);
        lock (_lock)
        {
            if (!_holders.TryGetValue(key, out var holder) || holder != (pipeline, release.Job, release.Attempt))
            {
                RemoveWaiting(key, (pipeline, release.Job, release.Attempt));
                return null;
            }

            _holders.Remove(key);
            if (_waiting.TryGetValue(key, out var queue) && queue.TryDequeue(out var next))
            {
                _holders[key] = next;
                return next;
            }

            return null;
        }
    }

    private void RemoveWaiting((long, string) key, (long, string, int) job)
    {
        if (_waiting.TryGetValue(key, out var queue) && queue.Contains(job))
        {
            _waiting[key] = new Queue<(long, string, int)>(queue.Where(j => j != job));
        }
    }
}

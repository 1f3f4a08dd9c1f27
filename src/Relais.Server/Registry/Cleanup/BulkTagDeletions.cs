namespace Relais.Server.Registry.Cleanup;

/// <summary>
/// The background side of <c>DELETE …/registry/repositories/:id/tags</c>: as GitLab, a repository's bulk delete may be
/// asked for at most once an hour (a lease per repository; a second request within the hour is refused), and runs
/// after the call answered 202. A failure is logged: the caller has already gone.
/// </summary>
public sealed class BulkTagDeletions(RepositoryCleanup cleanup, TimeProvider time, TextWriter log)
{
    /// <summary>How long a repository's lease lasts (GitLab: one hour).</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromHours(1);

    private readonly Dictionary<long, DateTimeOffset> _leases = [];
    private readonly List<Task> _running = [];
    private readonly Lock _lock = new();

    /// <summary>Starts cleaning repository <paramref name="repositoryId"/> (<paramref name="path"/>) with <paramref name="rules"/>; false when its lease is taken.</summary>
    public bool TryStart(long repositoryId, string path, TagCleanupRules rules)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (_leases.TryGetValue(repositoryId, out var until) && until > now)
            {
                return false;
            }

            _leases[repositoryId] = now + Lease;
            _running.RemoveAll(t => t.IsCompleted);
            _running.Add(Task.Run(() => RunAsync(path, rules)));
            return true;
        }
    }

    /// <summary>Waits for the deletions started so far (tests; the server's stop).</summary>
    public Task IdleAsync()
    {
        lock (_lock)
        {
            return Task.WhenAll(_running);
        }
    }

    private async Task RunAsync(string path, TagCleanupRules rules)
    {
        try
        {
            var deleted = await cleanup.RunAsync(path, rules);
            await log.WriteLineAsync($"relais serve: bulk tag delete of {path}: {deleted.Count} tag(s) deleted");
        }
#pragma warning disable CA1031 // a background delete that failed is reported in the log; nobody waits for it
        catch (Exception e)
#pragma warning restore CA1031
        {
            await log.WriteLineAsync($"relais serve: bulk tag delete of {path} failed ({e.GetType().Name}: {Relais.Protocol.LogText.Safe(e.Message)})");
        }
    }
}

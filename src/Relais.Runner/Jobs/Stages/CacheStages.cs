using Relais.Protocol.Jobs;
using Relais.Runner.Caching;
using Relais.Runner.Files;

namespace Relais.Runner.Jobs.Stages;

/// <summary>
/// <c>restore_cache</c> and <c>archive_cache</c>: zip archives in the <see cref="ICacheStore"/>, keyed per project.
/// Cache problems never fail a job; they are warnings.
/// </summary>
internal static class CacheStages
{
    /// <summary>Whether any cache has something to restore or save.</summary>
    public static bool HasCaches(JobContext context) => context.Job.Cache.Any(c => c.Paths.Count > 0 || c.Untracked);

    /// <summary>Whether any cache would be saved for a job that <paramref name="succeeded"/>.</summary>
    public static bool HasCachesToSave(JobContext context, bool succeeded) =>
        context.Job.Cache.Any(c => (c.Paths.Count > 0 || c.Untracked) && ArtifactWhen.Applies(c.When, succeeded));

    /// <summary>Restores each cache from its key, else its fallback keys, else <c>CACHE_FALLBACK_KEY</c>.</summary>
    public static async Task<StageResult> RestoreAsync(JobContext context, CancellationToken cancellationToken)
    {
        for (var i = 0; i < context.Job.Cache.Count; i++)
        {
            var cache = context.Job.Cache[i];
            if (cache.Paths.Count == 0 && !cache.Untracked)
            {
                continue;
            }

            var key = Key(context, i);
            if (key.Error is not null)
            {
                context.Log.Warning($"{key.Error}; the cache is skipped");
                continue;
            }

            if (Policy(context, cache) == CachePolicies.Push)
            {
                context.Log.Notice($"Not downloading cache {key.Key} due to policy");
                continue;
            }

            await RestoreOneAsync(context, key.Key, Candidates(context, cache, key.Key), cancellationToken);
        }

        return StageResult.Ok;
    }

    /// <summary>Saves each cache whose <c>when</c> matches and whose policy pushes.</summary>
    public static async Task<StageResult> ArchiveAsync(JobContext context, bool succeeded, CancellationToken cancellationToken)
    {
        IReadOnlyList<string>? untracked = null;
        for (var i = 0; i < context.Job.Cache.Count; i++)
        {
            var cache = context.Job.Cache[i];
            if ((cache.Paths.Count == 0 && !cache.Untracked) || !ArtifactWhen.Applies(cache.When, succeeded))
            {
                continue;
            }

            var key = Key(context, i);
            if (key.Error is not null)
            {
                context.Log.Warning($"{key.Error}; the cache is skipped");
                continue;
            }

            if (Policy(context, cache) == CachePolicies.Pull)
            {
                context.Log.Notice($"Not uploading cache {key.Key} due to policy");
                continue;
            }

            if (cache.Untracked)
            {
                untracked ??= await context.Sources.ListUntrackedAsync(context.SourceContext, cancellationToken);
            }

            context.Log.Notice($"Creating cache {key.Key}...");
            var paths = context.Paths!;
            var files = FileCollector.Collect(
                paths.HostProjectDir, paths.ProjectDir, cache.Paths.Select(context.Variables.Expand), [], cache.Untracked ? untracked : null);
            Report(context, files);
            if (files.Entries.Count == 0)
            {
                context.Log.Warning($"No files to cache for {key.Key}; the cache is not saved");
                continue;
            }

            try
            {
                await context.Cache.WriteAsync(
                    new CacheLocation(ProjectScope(context), key.Key),
                    (stream, _) =>
                    {
                        ZipArchiver.Create(paths.HostProjectDir, files.Entries, stream);
                        return Task.CompletedTask;
                    },
                    cancellationToken);
                context.Log.Notice($"Created cache {key.Key}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                context.Log.Warning($"Failed to create cache {key.Key}: {e.Message}");
            }
        }

        return StageResult.Ok;
    }

    /// <summary>The project part of cache locations: the project's path, else <c>project-&lt;id&gt;</c>.</summary>
    public static string ProjectScope(JobContext context) => JobDirectories.ProjectPath(context.Job);

    private static async Task RestoreOneAsync(JobContext context, string key, IEnumerable<string> candidates, CancellationToken cancellationToken)
    {
        foreach (var candidate in candidates)
        {
            context.Log.Notice($"Checking cache for {candidate}...");
            try
            {
                await using var archive = await context.Cache.OpenReadAsync(new CacheLocation(ProjectScope(context), candidate), cancellationToken);
                if (archive is null)
                {
                    context.Log.Info($"No cache found for {candidate}");
                    continue;
                }

                var entries = ZipArchiver.Extract(archive, context.Paths!.HostProjectDir);
                context.Log.Notice(candidate == key
                    ? $"Successfully extracted cache {candidate} ({entries} entries)"
                    : $"Successfully extracted cache from fallback key {candidate} ({entries} entries)");
                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                context.Log.Warning($"Failed to extract cache {candidate}: {e.Message}");
            }
        }

        context.Log.Warning($"Cache miss for {key}: no archive for the key or its fallback keys");
    }

    private static IEnumerable<string> Candidates(JobContext context, JobCache cache, string key)
    {
        var global = context.Variables.Get("CACHE_FALLBACK_KEY");
        var fallbacks = cache.FallbackKeys.Concat(global is { Length: > 0 } ? [global] : [])
            .Select(k => CacheKeys.ResolveFallback(k, context.Variables))
            .Where(k => k.Error is null)
            .Select(k => k.Key);
        return new[] { key }.Concat(fallbacks).Distinct(StringComparer.Ordinal);
    }

    private static ResolvedCacheKey Key(JobContext context, int index)
    {
        if (!context.CacheKeys.TryGetValue(index, out var key))
        {
            context.CacheKeys[index] = key = CacheKeys.Resolve(context.Job.Cache[index], context.Variables, context.Paths!.HostProjectDir);
        }

        return key;
    }

    private static string Policy(JobContext context, JobCache cache) =>
        context.Variables.Expand(cache.Policy ?? "").Trim() is { Length: > 0 } policy ? policy : CachePolicies.PullPush;

    private static void Report(JobContext context, CollectedFiles files)
    {
        foreach (var message in files.Messages)
        {
            if (message.IsWarning)
            {
                context.Log.Warning(message.Text);
            }
            else
            {
                context.Log.Info(message.Text);
            }
        }
    }
}

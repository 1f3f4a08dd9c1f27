namespace Relais.Runner.Caching;

/// <summary>Where a cache archive lives: a project scope (its path) and the resolved key.</summary>
/// <param name="Project">The project's path, e.g. <c>group/app</c> (caches never cross projects).</param>
/// <param name="Key">The resolved cache key (variables expanded, no <c>/</c>).</param>
public readonly record struct CacheLocation(string Project, string Key);

/// <summary>
/// Stores cache archives (zip) by key. The runner calls it from the restore and archive stages; stores are shared by
/// the jobs of a runner, so implementations are thread-safe and replace archives atomically (a reader sees the old
/// archive or the new one, never half of one). A local directory now; S3 later.
/// </summary>
public interface ICacheStore
{
    /// <summary>Opens the archive at <paramref name="location"/>, or returns null when there is none (a miss).</summary>
    Task<Stream?> OpenReadAsync(CacheLocation location, CancellationToken cancellationToken);

    /// <summary>Stores the archive that <paramref name="write"/> writes, replacing any archive at <paramref name="location"/>.</summary>
    Task WriteAsync(CacheLocation location, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken);
}

/// <summary>
/// Keeps cache archives on the local disk as <c>&lt;root&gt;/&lt;project&gt;/&lt;key&gt;/cache.zip</c> (gitlab-runner's
/// layout for local caches). Writes go to a temporary file that is renamed over the archive.
/// </summary>
public sealed class DirectoryCacheStore : ICacheStore
{
    private readonly string _root;

    /// <summary>Creates the store under <paramref name="root"/>.</summary>
    public DirectoryCacheStore(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        _root = Path.GetFullPath(root);
    }

    /// <summary>The archive's path for a location.</summary>
    public string PathOf(CacheLocation location)
    {
        var path = Path.GetFullPath(Path.Combine(_root, location.Project, location.Key, "cache.zip"));
        return path.StartsWith(_root + "/", StringComparison.Ordinal)
            ? path
            : throw new ArgumentException($"the cache key '{location.Key}' leaves the cache directory");
    }

    /// <inheritdoc />
    public Task<Stream?> OpenReadAsync(CacheLocation location, CancellationToken cancellationToken)
    {
        try
        {
            return Task.FromResult<Stream?>(new FileStream(PathOf(location), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    /// <inheritdoc />
    public async Task WriteAsync(CacheLocation location, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        var path = PathOf(location);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
            {
                await write(file, cancellationToken);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }
}

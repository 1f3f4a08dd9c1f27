using System.Security.Cryptography;
using System.Text;
using Relais.Protocol.Jobs;
using Relais.Runner.Files;
using Relais.Runner.Variables;

namespace Relais.Runner.Caching;

/// <summary>A resolved cache key, or why the cache is skipped.</summary>
/// <param name="Key">The key to use.</param>
/// <param name="Error">Why the key is unusable (the cache is skipped with a warning).</param>
public readonly record struct ResolvedCacheKey(string Key, string? Error);

/// <summary>
/// Resolves cache keys the way the runner sees them: <c>$VAR</c> references expanded; an empty key is
/// <c>default</c>. With <c>key:files</c> (a Relais extension field, see <see cref="JobCache.KeyFiles"/>) the key is
/// <c>[prefix-]hash</c>, where the hash is the first 40 hex digits of a SHA-256 over, for each listed path that exists
/// (globs allowed, in order, each file once): the path, a NUL byte, and the SHA-256 of the file's content; when none
/// exists the hash part is <c>default</c>. GitLab hashes the commits that last changed the files instead; hashing
/// contents gives the same "changes when the files change" behaviour and also sees uncommitted edits in local runs.
/// </summary>
public static class CacheKeys
{
    /// <summary>The key when none is given.</summary>
    public const string DefaultKey = "default";

    /// <summary>Resolves the key of <paramref name="cache"/>.</summary>
    public static ResolvedCacheKey Resolve(JobCache cache, JobVariables variables, string hostProjectDir)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(variables);
        string key;
        if (cache.KeyFiles is { Count: > 0 } files)
        {
            var hash = HashFiles(hostProjectDir, files.Select(variables.Expand)) ?? DefaultKey;
            var prefix = variables.Expand(cache.KeyPrefix ?? "");
            key = prefix.Length > 0 ? prefix + "-" + hash : hash;
        }
        else
        {
            key = variables.Expand(cache.Key ?? "");
        }

        return Validate(key.Length == 0 ? DefaultKey : key);
    }

    /// <summary>Expands and checks a fallback key.</summary>
    public static ResolvedCacheKey ResolveFallback(string key, JobVariables variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        return Validate(variables.Expand(key ?? ""));
    }

    /// <summary>The content hash of the files, or null when none of them exists.</summary>
    public static string? HashFiles(string root, IEnumerable<string> patterns)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        using var total = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pattern in patterns)
        {
            var glob = new PathGlob(pattern);
            var files = glob.IsLiteral
                ? [glob.Pattern]
                : FileCollector.Collect(root, root, [pattern], []).Entries.Where(e => !e.EndsWith('/')).ToArray();
            foreach (var file in files)
            {
                var full = Path.Combine(root, file);
                if (!File.Exists(full) || !seen.Add(file))
                {
                    continue;
                }

                total.AppendData(Encoding.UTF8.GetBytes(file));
                total.AppendData([0]);
                using var stream = File.OpenRead(full);
                total.AppendData(SHA256.HashData(stream));
            }
        }

        return seen.Count == 0 ? null : Convert.ToHexStringLower(total.GetHashAndReset())[..40];
    }

    private static ResolvedCacheKey Validate(string key)
    {
        if (key.Length == 0)
        {
            return new(key, "the cache key is empty");
        }

        return key.Contains('/', StringComparison.Ordinal) || key.Contains('\\', StringComparison.Ordinal) || key is "." or ".."
            || key.Contains("%2F", StringComparison.OrdinalIgnoreCase) || key.Contains("%2E%2E", StringComparison.OrdinalIgnoreCase)
            ? new(key, $"the cache key '{key}' is not allowed (no '/', '.' or '..')")
            : new(key, null);
    }
}

using System.Collections.Concurrent;

namespace Relais.Server.Registry.Cleanup;

/// <summary>
/// Applies <see cref="TagCleanupRules"/> to one repository of the registry: lists its tags, reads the build times
/// of those whose names match (only when a rule needs them), deletes exactly the tags the rules choose. One cleanup
/// per repository at a time (a second one waits for the first).
/// </summary>
public sealed class RepositoryCleanup(RegistryClient client, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _running = new(StringComparer.Ordinal);

    /// <summary>Cleans <paramref name="repository"/> (its registry path); returns the names of the tags deleted.</summary>
    public async Task<IReadOnlyList<string>> RunAsync(string repository, TagCleanupRules rules, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var gate = _running.GetOrAdd(repository, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancel);
        try
        {
            var tags = new List<CleanupTag>();
            foreach (var name in rules.MatchingNames(await client.ListTagsAsync(repository, cancel)))
            {
                var built = rules.NeedsBuildTimes ? (await client.GetTagAsync(repository, name, cancel))?.CreatedAt : null;
                tags.Add(new CleanupTag(name, built));
            }

            var doomed = rules.TagsToDelete(tags, time.GetUtcNow());
            await client.DeleteTagsAsync(repository, [.. doomed], cancel);
            return doomed;
        }
        finally
        {
            gate.Release();
        }
    }
}

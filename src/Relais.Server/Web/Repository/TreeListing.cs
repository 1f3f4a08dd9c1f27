using Relais.Git;

namespace Relais.Server.Web.Repository;

/// <summary>One entry of a directory listing and, when it was cheap to find, the last commit that changed it.</summary>
internal sealed record ListedEntry(TreeEntry Entry, string FullPath, CommitDetails? LastCommit);

/// <summary>
/// A directory of a commit as the tree pages list it: directories first, then files, each by name; the last
/// commit per entry is looked up (one <c>git log -1</c> each, <see cref="Parallelism"/> at a time) only while the
/// directory has at most <see cref="LastCommitLimit"/> entries, so a large one costs one <c>ls-tree</c>.
/// </summary>
internal static class TreeListing
{
    public const int LastCommitLimit = 40;

    private const int Parallelism = 4;

    /// <summary>The entries of <paramref name="path"/> (empty: the root) in <paramref name="commit"/>; null when it is not a directory there.</summary>
    public static async Task<IReadOnlyList<ListedEntry>?> ListAsync(GitRepository git, string commit, string path, CancellationToken cancel)
    {
        var tree = path.Length == 0 ? commit + "^{tree}"
            : await git.FindEntryAsync(commit, path, cancel) is { Type: "tree" } directory ? directory.ObjectId
            : null;
        if (tree is null)
        {
            return null;
        }

        var prefix = path.Length == 0 ? "" : path + "/";
        var entries = (await git.ListEntriesAsync(tree, recursive: false, cancel))
            .OrderBy(e => e.Type == "tree" ? 0 : 1)
            .ThenBy(e => e.Name, StringComparer.Ordinal)
            .ToList();
        var lastShas = new string?[entries.Count];
        if (entries.Count <= LastCommitLimit)
        {
            await Parallel.ForEachAsync(
                Enumerable.Range(0, entries.Count),
                new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancel },
                async (i, token) => lastShas[i] = await git.LastCommitAsync(commit, prefix + entries[i].Name, token));
        }

        var commits = (await git.ReadCommitsAsync([.. lastShas.OfType<string>().Distinct(StringComparer.Ordinal)], cancel))
            .ToDictionary(c => c.Sha, StringComparer.Ordinal);
        return entries.Select((e, i) => new ListedEntry(e, prefix + e.Name, lastShas[i] is { } sha ? commits.GetValueOrDefault(sha) : null)).ToList();
    }
}

using Relais.Git;

namespace Relais.Server.Web.Repository;

/// <summary>One entry of a directory listing and, when it was cheap to find, the last commit that changed it.</summary>
internal sealed record ListedEntry(TreeEntry Entry, string FullPath, CommitDetails? LastCommit);

/// <summary>
/// A directory of a commit as the tree pages list it: directories first, then files, each by name, with the last
/// commit that changed each entry: one walk of the directory's last <see cref="WalkedCommits"/> commits finds most;
/// up to <see cref="LookupLimit"/> entries it missed (unchanged for longer) get a <c>git log -1</c> each, the rest
/// none. A directory of more than <see cref="LastCommitLimit"/> entries is listed without last commits.
/// </summary>
internal static class TreeListing
{
    public const int LastCommitLimit = 1000;

    /// <summary>How far back the one walk looks.</summary>
    public const int WalkedCommits = 1000;

    /// <summary>At most this many entries the walk missed are looked up one by one.</summary>
    public const int LookupLimit = 10;

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
            var walked = await git.LastCommitsAsync(commit, path, entries.Select(e => e.Name).ToHashSet(StringComparer.Ordinal), WalkedCommits, cancel);
            var looked = 0;
            for (var i = 0; i < entries.Count; i++)
            {
                lastShas[i] = walked.TryGetValue(entries[i].Name, out var sha) ? sha
                    : looked++ < LookupLimit ? await git.LastCommitAsync(commit, prefix + entries[i].Name, cancel)
                    : null;
            }
        }

        var commits = (await git.ReadCommitsAsync([.. lastShas.OfType<string>().Distinct(StringComparer.Ordinal)], cancel))
            .ToDictionary(c => c.Sha, StringComparer.Ordinal);
        return entries.Select((e, i) => new ListedEntry(e, prefix + e.Name, lastShas[i] is { } sha ? commits.GetValueOrDefault(sha) : null)).ToList();
    }
}

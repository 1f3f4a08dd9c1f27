using System.Globalization;

namespace Relais.Git;

/// <summary>
/// Reads trees and files of a repository for the repository API. Paths are literal (no pathspec magic, after
/// <c>--</c>), revisions come after <c>--end-of-options</c>; a blob is streamed from <c>git cat-file</c>, never
/// read whole unless asked (<see cref="ReadBlobAsync"/>).
/// </summary>
public static class RepositoryFiles
{
    /// <summary>The entries of <paramref name="treeish"/> (a tree id, or <c>commit^{tree}</c>); every level when <paramref name="recursive"/> (trees too).</summary>
    public static async Task<IReadOnlyList<TreeEntry>> ListEntriesAsync(this GitRepository git, string treeish, bool recursive, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(git);
        List<string> arguments = ["ls-tree", "-z", "--long"];
        if (recursive)
        {
            arguments.AddRange(["-r", "-t"]);
        }

        var result = await git.RunAsync([.. arguments, "--end-of-options", treeish], cancellationToken);
        return result.Succeeded ? result.NulSeparated.Select(Parse).OfType<TreeEntry>().ToList() : [];
    }

    /// <summary>The entry at exactly <paramref name="path"/> in <paramref name="commit"/>; null when there is none.</summary>
    public static async Task<TreeEntry?> FindEntryAsync(this GitRepository git, string commit, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(git);
        var result = await git.RunAsync(["--literal-pathspecs", "ls-tree", "-z", "--long", "--full-tree", "--end-of-options", commit, "--", path], cancellationToken);
        return result.Succeeded ? result.NulSeparated.Select(Parse).FirstOrDefault(e => e?.Path == path) : null;
    }

    /// <summary>The last commit up to <paramref name="commit"/> that changed <paramref name="path"/>; null when none did.</summary>
    public static async Task<string?> LastCommitAsync(this GitRepository git, string commit, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(git);
        return (await git.RunAsync(["--literal-pathspecs", "log", "-1", "--format=%H", "--end-of-options", commit, "--", path], cancellationToken)).FirstLine;
    }

    /// <summary>
    /// For each of <paramref name="names"/> (entries of <paramref name="directory"/>, empty: the root), the last commit up
    /// to <paramref name="commit"/> that changed it, found in one walk of at most <paramref name="maxCommits"/> commits
    /// (<c>git log --name-only</c> limited to the directory); names not changed within them are left out.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, string>> LastCommitsAsync(
        this GitRepository git, string commit, string directory, IReadOnlyCollection<string> names, int maxCommits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(git);
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(names);
        List<string> arguments = ["--literal-pathspecs", "log", "--format=%x01%H", "-z", "--name-only", "--no-renames", "--max-count=" + maxCommits.ToString(CultureInfo.InvariantCulture), "--end-of-options", commit, "--"];
        if (directory.Length > 0)
        {
            arguments.Add(directory);
        }

        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        var result = await git.RunAsync(arguments, cancellationToken);
        if (!result.Succeeded || names.Count == 0)
        {
            return found;
        }

        var prefix = directory.Length == 0 ? "" : directory + "/";
        string? current = null;
        foreach (var field in result.Text.Split('\0'))
        {
            var text = field.TrimStart('\n');
            if (text.StartsWith('\u0001'))
            {
                current = text[1..];
            }
            else if (current is not null && text.StartsWith(prefix, StringComparison.Ordinal)
                && text[prefix.Length..].Split('/')[0] is var name && names.Contains(name) && found.TryAdd(name, current) && found.Count == names.Count)
            {
                break;
            }
        }

        return found;
    }

    /// <summary>The whole blob <paramref name="objectId"/> in memory; null when there is no such blob.</summary>
    public static async Task<byte[]?> ReadBlobAsync(this GitRepository git, string objectId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(git);
        var result = await git.RunAsync(["cat-file", "blob", "--end-of-options", objectId], cancellationToken);
        return result.Succeeded ? result.Output : null;
    }

    /// <summary>Copies the blob <paramref name="objectId"/> to <paramref name="destination"/> as git reads it; false when git failed.</summary>
    public static async Task<bool> CopyBlobAsync(this GitRepository git, string objectId, Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(git);
        ArgumentNullException.ThrowIfNull(destination);
        await using var running = GitProcess.Start(git.Command("cat-file", "blob", "--end-of-options", objectId), redirectInput: false);
        await running.Output.CopyToAsync(destination, cancellationToken);
        return (await running.WaitForExitAsync(cancellationToken)).Succeeded;
    }

    /// <summary>
    /// Copies the blob <paramref name="objectId"/> to <paramref name="destination"/>, first handing its opening bytes
    /// (up to <paramref name="headBytes"/>) to <paramref name="beforeWrite"/>, which runs before anything is written:
    /// a caller decides its response headers from them (text or binary). False when git failed.
    /// </summary>
    public static async Task<bool> CopyBlobAsync(
        this GitRepository git, string objectId, Stream destination, int headBytes, Action<ReadOnlyMemory<byte>> beforeWrite, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(git);
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(beforeWrite);
        await using var running = GitProcess.Start(git.Command("cat-file", "blob", "--end-of-options", objectId), redirectInput: false);
        var head = new byte[headBytes];
        var filled = await running.Output.ReadAtLeastAsync(head, headBytes, throwOnEndOfStream: false, cancellationToken);
        beforeWrite(head.AsMemory(0, filled));
        await destination.WriteAsync(head.AsMemory(0, filled), cancellationToken);
        await running.Output.CopyToAsync(destination, cancellationToken);
        return (await running.WaitForExitAsync(cancellationToken)).Succeeded;
    }

    /// <summary>
    /// Writes <paramref name="commit"/>'s tree as an archive (<c>git archive</c>; <paramref name="format"/> one of
    /// <c>tar</c>, <c>tar.gz</c>, <c>tgz</c>, <c>zip</c>) with every path under <paramref name="prefix"/>, as git makes it.
    /// </summary>
    public static async Task<bool> CopyArchiveAsync(this GitRepository git, string format, string prefix, string commit, Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(git);
        ArgumentNullException.ThrowIfNull(destination);
        if (format is not ("tar" or "tar.gz" or "tgz" or "zip"))
        {
            throw new ArgumentException("not an archive format git writes here: " + format, nameof(format));
        }

        await using var running = GitProcess.Start(git.Command("archive", "--format=" + format, "--prefix=" + prefix, "--end-of-options", commit), redirectInput: false);
        await running.Output.CopyToAsync(destination, cancellationToken);
        return (await running.WaitForExitAsync(cancellationToken)).Succeeded;
    }

    /// <summary>The best common ancestor of <paramref name="first"/> and <paramref name="second"/>; null when they share none.</summary>
    public static async Task<string?> MergeBaseAsync(this GitRepository git, string first, string second, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(git);
        return (await git.RunAsync(["merge-base", "--end-of-options", first, second], cancellationToken)).FirstLine;
    }

    /// <summary>Reads one <c>ls-tree -z --long</c> record: "mode type id size\tpath".</summary>
    private static TreeEntry? Parse(string record)
    {
        var tab = record.IndexOf('\t', StringComparison.Ordinal);
        if (tab < 0)
        {
            return null;
        }

        var meta = record[..tab].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (meta.Length != 4)
        {
            return null;
        }

        var size = long.TryParse(meta[3], NumberStyles.None, CultureInfo.InvariantCulture, out var bytes) ? bytes : (long?)null;
        return new TreeEntry(meta[0], meta[1], meta[2], size, record[(tab + 1)..]);
    }
}

using System.Globalization;

namespace Relais.Git;

/// <summary>
/// Diffs and counts between commits, for the repository API. Commits are passed after <c>--end-of-options</c>; a
/// patch larger than <see cref="MaxPatchBytes"/> is left out (<see cref="FileDiff.TooLarge"/>), as GitLab collapses one.
/// </summary>
public static class RepositoryDiffs
{
    /// <summary>The largest patch of one file that is returned.</summary>
    public const int MaxPatchBytes = 200 * 1024;

    /// <summary>
    /// The files that differ from <paramref name="from"/> (null: the empty tree, for a root commit) to
    /// <paramref name="to"/>, renames found, each with its patch; null when git cannot tell (an unknown commit).
    /// </summary>
    public static async Task<IReadOnlyList<FileDiff>?> DiffAsync(this GitRepository git, string? from, string to, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(git);
        List<string> range = from is null ? ["--root", "--end-of-options", to] : ["--end-of-options", from, to];
        var raw = await git.RunAsync(["diff-tree", "-r", "-z", "--find-renames", "--raw", .. range], cancellationToken);
        if (!raw.Succeeded)
        {
            return null;
        }

        var patch = await git.RunAsync(["diff-tree", "-r", "--find-renames", "--patch", "--no-color", "--full-index", .. range], cancellationToken);
        var patches = SplitPatches(patch.Succeeded ? patch.Text : "");
        var entries = ParseRaw(raw.NulSeparated);
        return entries.Select((e, i) =>
        {
            var text = i < patches.Count ? patches[i] : "";
            var tooLarge = text.Length > MaxPatchBytes;
            var lines = text.Split('\n');
            return e with
            {
                Patch = tooLarge ? "" : text,
                TooLarge = tooLarge,
                Additions = lines.Count(l => l.StartsWith('+')),
                Deletions = lines.Count(l => l.StartsWith('-')),
            };
        }).ToList();
    }

    /// <summary>How many commits <c>git log</c> would list for the same arguments as <see cref="RepositoryRefs.LogAsync"/>.</summary>
    public static async Task<int> CountAsync(this GitRepository git, string revision, CancellationToken cancellationToken, string? path = null, DateTimeOffset? since = null, DateTimeOffset? until = null)
    {
        ArgumentNullException.ThrowIfNull(git);
        List<string> arguments = ["--literal-pathspecs", "rev-list", "--count"];
        RepositoryRefs.AddCommitSelection(arguments, revision, path, since, until);

        var text = (await git.RunAsync(arguments, cancellationToken)).FirstLine;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) ? count : 0;
    }

    /// <summary>
    /// Reads <c>diff-tree -r -z --raw</c>: ":old new oldsha newsha status\0path\0" (and a second path for a rename or copy).
    /// The commit id git writes first for a <c>--root</c> diff is passed over.
    /// </summary>
    private static List<FileDiff> ParseRaw(IReadOnlyList<string> fields)
    {
        var diffs = new List<FileDiff>();
        var i = 0;
        while (i < fields.Count)
        {
            var meta = fields[i].TrimStart('\n');
            if (!meta.StartsWith(':'))
            {
                i++; // the commit id line of a single-commit diff
                continue;
            }

            var parts = meta[1..].Split(' ');
            if (parts.Length < 5 || i + 1 >= fields.Count)
            {
                break;
            }

            var status = parts[4].Length > 0 ? parts[4][0] : 'M';
            var oldPath = fields[i + 1];
            var twoPaths = status is 'R' or 'C';
            var newPath = twoPaths && i + 2 < fields.Count ? fields[i + 2] : oldPath;
            diffs.Add(new FileDiff(oldPath, newPath, parts[0], parts[1], status, "", false));
            i += twoPaths ? 3 : 2;
        }

        return diffs;
    }

    /// <summary>Splits a patch into one text per file, each from its first hunk header on (empty when it has none: binary).</summary>
    private static List<string> SplitPatches(string text)
    {
        var files = new List<string>();
        foreach (var chunk in ("\n" + text).Split("\ndiff --git ").Skip(1))
        {
            var hunks = chunk.IndexOf("\n@@", StringComparison.Ordinal);
            files.Add(hunks < 0 ? "" : chunk[(hunks + 1)..].TrimEnd('\n') + "\n");
        }

        return files;
    }
}

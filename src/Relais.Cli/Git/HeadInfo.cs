using System.Globalization;

namespace Relais.Cli.Git;

/// <summary>What the CLI needs to know about HEAD and the default branch, read with two git calls.</summary>
internal sealed record HeadInfo(string? Branch, string? Sha, string? ParentSha, string? Author, DateTimeOffset? Timestamp, string? Message, string? DefaultBranch)
{
    public static HeadInfo None { get; } = new(null, null, null, null, null, null, null);

    /// <param name="git">The checkout.</param>
    /// <param name="branch">The current branch (null when HEAD is detached), already read with the top level.</param>
    public static HeadInfo Read(GitCli git, string? branch)
    {
        var log = git.Run("log", "-1", "--format=%H%n%P%n%an <%ae>%n%cI%n%B");
        var refs = git.Lines("for-each-ref", "--format=%(refname) %(symref)", "refs/remotes/origin/HEAD", "refs/heads/main", "refs/heads/master");
        var defaultBranch = FindDefaultBranch(refs, branch);
        if (log is null)
        {
            return new HeadInfo(branch, null, null, null, null, null, defaultBranch);
        }

        var lines = log.Split('\n', 5);
        var parent = lines.Length > 1 && lines[1].Length >= 40 ? lines[1][..40] : null;
        DateTimeOffset? when = lines.Length > 3 && DateTimeOffset.TryParse(lines[3], CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t : null;
        return new HeadInfo(
            branch,
            lines[0].Trim(),
            parent,
            lines.Length > 2 ? lines[2] : null,
            when,
            lines.Length > 4 ? lines[4].TrimEnd('\n') : "",
            defaultBranch);
    }

    /// <summary>origin's HEAD when it is known; else <c>main</c> or <c>master</c> when one exists (or is current); else the current branch.</summary>
    private static string? FindDefaultBranch(IReadOnlyList<string> refs, string? current)
    {
        const string origin = "refs/remotes/origin/HEAD ";
        var originHead = refs.FirstOrDefault(r => r.StartsWith(origin, StringComparison.Ordinal))?[origin.Length..];
        if (originHead is { Length: > 0 })
        {
            return originHead["refs/remotes/origin/".Length..];
        }

        foreach (var candidate in new[] { "main", "master" })
        {
            if (candidate == current || refs.Contains("refs/heads/" + candidate))
            {
                return candidate;
            }
        }

        return current;
    }
}

using System.Globalization;

namespace Relais.Cli.Git;

/// <summary>What the CLI needs to know about HEAD, read with two git calls.</summary>
internal sealed record HeadInfo(string? Branch, string? Sha, string? ParentSha, string? Author, DateTimeOffset? Timestamp, string? Message, string? DefaultBranch)
{
    public static HeadInfo None { get; } = new(null, null, null, null, null, null, null);

    public static HeadInfo Read(GitCli git)
    {
        var branch = git.Line("symbolic-ref", "--quiet", "--short", "HEAD");
        var log = git.Run("log", "-1", "--format=%H%n%P%n%an <%ae>%n%cI%n%B");
        var defaultBranch = git.Line("symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD")?.Split('/', 2)[^1];
        if (log is null)
        {
            return new HeadInfo(branch, null, null, null, null, null, defaultBranch ?? branch);
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
            defaultBranch ?? GuessDefault(git, branch));
    }

    private static string? GuessDefault(GitCli git, string? current)
    {
        foreach (var candidate in new[] { "main", "master" })
        {
            if (candidate == current || git.Line("rev-parse", "--verify", "--quiet", "refs/heads/" + candidate) is not null)
            {
                return candidate;
            }
        }

        return current;
    }
}

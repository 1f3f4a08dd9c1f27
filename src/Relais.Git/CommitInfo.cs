using System.Globalization;

namespace Relais.Git;

/// <summary>One commit as pipelines describe it: its id, first parent, author, dates and message.</summary>
/// <param name="Sha">The full commit id.</param>
/// <param name="ParentSha">The first parent; null for a root commit.</param>
/// <param name="Author"><c>Name &lt;email&gt;</c>.</param>
/// <param name="AuthoredAt">The author date.</param>
/// <param name="CommittedAt">The committer date.</param>
/// <param name="Message">The full message, without its trailing newlines.</param>
public sealed record CommitInfo(string Sha, string? ParentSha, string Author, DateTimeOffset? AuthoredAt, DateTimeOffset? CommittedAt, string Message)
{
    /// <summary>The <c>git log</c> format that <see cref="Parse"/> reads.</summary>
    internal const string Format = "--format=%H%x00%P%x00%an <%ae>%x00%aI%x00%cI%x00%B";

    /// <summary>Reads the output of <c>git log -1 <see cref="Format"/></c>; null when it is not that.</summary>
    internal static CommitInfo? Parse(string text)
    {
        var parts = text.Split('\0', 6);
        if (parts.Length < 6 || parts[0].Trim().Length == 0)
        {
            return null;
        }

        var parent = parts[1].Trim() is { Length: >= 40 } parents ? parents[..40] : null;
        return new CommitInfo(parts[0].Trim(), parent, parts[2], Date(parts[3]), Date(parts[4]), parts[5].TrimEnd('\n'));
    }

    private static DateTimeOffset? Date(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var when) ? when : null;
}

using System.Globalization;

namespace Relais.Git;

/// <summary>One commit in full, as the repository API shows it: parents, author and committer apart, the whole message.</summary>
/// <param name="Sha">The full commit id.</param>
/// <param name="ParentShas">Every parent, in order (none for a root commit).</param>
/// <param name="AuthorName">The author's name.</param>
/// <param name="AuthorEmail">The author's email.</param>
/// <param name="AuthoredAt">The author date.</param>
/// <param name="CommitterName">The committer's name.</param>
/// <param name="CommitterEmail">The committer's email.</param>
/// <param name="CommittedAt">The committer date.</param>
/// <param name="Message">The full message, without its trailing newlines.</param>
public sealed record CommitDetails(
    string Sha,
    IReadOnlyList<string> ParentShas,
    string AuthorName,
    string AuthorEmail,
    DateTimeOffset? AuthoredAt,
    string CommitterName,
    string CommitterEmail,
    DateTimeOffset? CommittedAt,
    string Message)
{
    /// <summary>The message's first line.</summary>
    public string Title => Message.Split('\n', 2)[0].TrimEnd('\r');

    /// <summary>
    /// The <c>git log</c> format that <see cref="ParseAll"/> reads: nine fields, each ended by NUL (a message holds no
    /// NUL), so records can follow each other.
    /// </summary>
    internal const string Format = "--format=%H%x00%P%x00%an%x00%ae%x00%aI%x00%cn%x00%ce%x00%cI%x00%B%x00";

    private const int Fields = 9;

    /// <summary>Reads the output of <c>git log <see cref="Format"/></c>: every commit it describes, in order.</summary>
    internal static IReadOnlyList<CommitDetails> ParseAll(string text)
    {
        var parts = text.Split('\0');
        var commits = new List<CommitDetails>(parts.Length / Fields);
        for (var i = 0; i + Fields <= parts.Length; i += Fields)
        {
            var sha = parts[i].Trim();
            if (sha.Length == 0)
            {
                break;
            }

            commits.Add(new CommitDetails(
                sha,
                parts[i + 1].Split(' ', StringSplitOptions.RemoveEmptyEntries),
                parts[i + 2],
                parts[i + 3],
                Date(parts[i + 4]),
                parts[i + 5],
                parts[i + 6],
                Date(parts[i + 7]),
                parts[i + 8].TrimEnd('\n')));
        }

        return commits;
    }

    /// <summary>
    /// A date as git reads it exactly (<c>2024-05-01 10:00:00 +0000</c>), for <c>--since</c> and <c>--until</c>; git
    /// misreads years from 2100 on (as if long past), so later dates are taken as the end of 2099.
    /// </summary>
    internal static string GitDate(DateTimeOffset date) =>
        (date.UtcDateTime.Year >= 2100 ? new DateTimeOffset(2099, 12, 31, 23, 59, 59, TimeSpan.Zero) : date.ToUniversalTime()).ToString("yyyy'-'MM'-'dd HH':'mm':'ss '+0000'", CultureInfo.InvariantCulture);

    /// <summary>An ISO-8601 date as git writes it (<c>%aI</c>); null when it is not one.</summary>
    internal static DateTimeOffset? Date(string text) =>
        DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var when) ? when : null;
}

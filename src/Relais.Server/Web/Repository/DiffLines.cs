using System.Globalization;
using System.Text.RegularExpressions;

namespace Relais.Server.Web.Repository;

/// <summary>What one line of a diff is.</summary>
internal enum DiffLineKind
{
    /// <summary>A hunk header (<c>@@ -1,2 +1,3 @@</c>).</summary>
    Hunk,

    /// <summary>Unchanged context.</summary>
    Context,

    /// <summary>Added (<c>+</c>).</summary>
    Added,

    /// <summary>Removed (<c>-</c>).</summary>
    Removed,

    /// <summary>git's <c>\ No newline at end of file</c>.</summary>
    Note,
}

/// <summary>One line of a file's diff with its numbers in the old and the new file (null where it has none).</summary>
internal sealed record DiffLine(DiffLineKind Kind, int? OldNumber, int? NewNumber, string Text);

/// <summary>Reads a file's patch (from its first hunk header, as <c>Relais.Git.FileDiff.Patch</c> holds it) into numbered lines.</summary>
internal static partial class DiffLines
{
    public static IReadOnlyList<DiffLine> Parse(string patch)
    {
        var lines = new List<DiffLine>();
        var (oldLine, newLine) = (0, 0);
        foreach (var line in patch.TrimEnd('\n').Split('\n'))
        {
            if (line.StartsWith("@@", StringComparison.Ordinal) && Hunk().Match(line) is { Success: true } m)
            {
                oldLine = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
                newLine = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
                lines.Add(new DiffLine(DiffLineKind.Hunk, null, null, line));
            }
            else if (line.StartsWith('+'))
            {
                lines.Add(new DiffLine(DiffLineKind.Added, null, newLine++, line[1..]));
            }
            else if (line.StartsWith('-'))
            {
                lines.Add(new DiffLine(DiffLineKind.Removed, oldLine++, null, line[1..]));
            }
            else if (line.StartsWith('\\'))
            {
                lines.Add(new DiffLine(DiffLineKind.Note, null, null, line));
            }
            else if (patch.Length > 0)
            {
                lines.Add(new DiffLine(DiffLineKind.Context, oldLine++, newLine++, line.Length > 0 ? line[1..] : ""));
            }
        }

        return lines;
    }

    [GeneratedRegex(@"^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@", RegexOptions.CultureInvariant)]
    private static partial Regex Hunk();
}

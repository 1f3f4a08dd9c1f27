using System.Text.RegularExpressions;

namespace Relais.Server.Api;

/// <summary>
/// GitLab's rules for a project's path (its slug): only letters, digits, <c>_</c>, <c>-</c> and <c>.</c>; starts and
/// ends with a letter or digit; no two special characters in a row; not ending in <c>.git</c> or <c>.atom</c>
/// (so never <c>.</c> or <c>..</c>). Applied to <c>POST /projects</c> and to a push that creates a project.
/// </summary>
internal static partial class ProjectPaths
{
    /// <summary>GitLab's message for a path that breaks the rules (the <c>path</c> field's error).</summary>
    public const string Rules = "can contain only letters, digits, '_', '-' and '.'. It must start and end with a letter or digit, "
        + "must not contain consecutive special characters, and cannot end in '.git' or '.atom'";

    private const int MaxLength = 255;

    /// <summary>Whether <paramref name="path"/> is a valid project path.</summary>
    public static bool IsValid(string path) =>
        path.Length <= MaxLength
        && Shape().IsMatch(path)
        && !path.EndsWith(".git", StringComparison.OrdinalIgnoreCase)
        && !path.EndsWith(".atom", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The path GitLab derives from a project name: runs of other characters become <c>-</c>, runs of special
    /// characters one <c>-</c>, and special characters at either end are dropped; lower case.
    /// </summary>
    public static string FromName(string name) =>
        SpecialRun().Replace(Disallowed().Replace(name.Trim(), "-"), m => m.Length == 1 ? m.Value : "-").Trim('-', '_', '.').ToLowerInvariant();

    [GeneratedRegex("^[A-Za-z0-9](?:[_.-]?[A-Za-z0-9])*$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();

    [GeneratedRegex("[^A-Za-z0-9_.-]+", RegexOptions.CultureInvariant)]
    private static partial Regex Disallowed();

    [GeneratedRegex("[_.-]+", RegexOptions.CultureInvariant)]
    private static partial Regex SpecialRun();
}

using System.Text.RegularExpressions;

namespace Relais.Server.Artifacts;

/// <summary>
/// What an upload may call its artifact. The type and format become part of a path on disk, so they must be
/// plain words (no <c>..</c>, no separators); the file name is cut to its last segment (GitLab's <c>artifacts:name</c>
/// may hold a ref such as <c>feature/x</c>) and refused when nothing usable is left.
/// </summary>
internal static partial class ArtifactNames
{
    private static readonly HashSet<string> Formats = ["zip", "gzip", "raw"];

    /// <summary>Why <paramref name="type"/> or <paramref name="format"/> is refused, or null.</summary>
    public static string? Problem(string type, string format) =>
        !TypeRule().IsMatch(type) ? "artifact_type is invalid"
        : !Formats.Contains(format) ? "artifact_format does not have a valid value"
        : null;

    /// <summary>The last segment of <paramref name="name"/> when it is a usable file name; null otherwise.</summary>
    public static string? SafeFileName(string? name)
    {
        var last = (name ?? "").Replace('\\', '/');
        last = last[(last.LastIndexOf('/') + 1)..];
        return last.Length is 0 or > 255 || last is "." or ".." || last.Any(char.IsControl) ? null : last;
    }

    [GeneratedRegex("^[a-z][a-z0-9_]{0,63}$")]
    private static partial Regex TypeRule();
}

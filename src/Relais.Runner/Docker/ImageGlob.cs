using System.Text.RegularExpressions;

namespace Relais.Runner.Docker;

/// <summary>
/// The globs of <c>allowed_images</c> / <c>allowed_services</c>: <c>*</c> within a path part, <c>**</c> across parts,
/// <c>?</c> one character of a part. Matched with .NET's linear-time engine: the image name comes from the job
/// (user text), so no glob of many <c>*</c>s can make a match backtrack.
/// </summary>
public static class ImageGlob
{
    /// <summary>Whether <paramref name="image"/> matches one of <paramref name="patterns"/>; an empty list allows everything.</summary>
    public static bool Allowed(string image, IReadOnlyList<string> patterns)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        return patterns.Count == 0 || patterns.Any(p => Matches(image, p));
    }

    /// <summary>Whether <paramref name="image"/> matches <paramref name="pattern"/> (the whole name).</summary>
    public static bool Matches(string image, string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var regex = @"\A" + Regex.Escape(pattern).Replace(@"\*\*", ".*", StringComparison.Ordinal).Replace(@"\*", "[^/]*", StringComparison.Ordinal)
            .Replace(@"\?", "[^/]", StringComparison.Ordinal) + @"\z";
        return Regex.IsMatch(image ?? "", regex, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
    }
}

using System.Text.RegularExpressions;

namespace Relais.Runner.Docker;

/// <summary>The globs of <c>allowed_images</c> / <c>allowed_services</c>: <c>*</c> within a path part, <c>**</c> across parts.</summary>
public static class ImageGlob
{
    /// <summary>Whether <paramref name="image"/> matches one of <paramref name="patterns"/>; an empty list allows everything.</summary>
    public static bool Allowed(string image, IReadOnlyList<string> patterns)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        return patterns.Count == 0 || patterns.Any(p => Matches(image, p));
    }

    /// <summary>Whether <paramref name="image"/> matches <paramref name="pattern"/>.</summary>
    public static bool Matches(string image, string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var regex = "^" + Regex.Escape(pattern).Replace(@"\*\*", ".*", StringComparison.Ordinal).Replace(@"\*", "[^/]*", StringComparison.Ordinal)
            .Replace(@"\?", "[^/]", StringComparison.Ordinal) + "$";
        return Regex.IsMatch(image ?? "", regex, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }
}

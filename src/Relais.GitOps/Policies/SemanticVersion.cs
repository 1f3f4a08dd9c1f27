using System.Globalization;
using System.Text.RegularExpressions;

namespace Relais.GitOps.Policies;

/// <summary>
/// A tag read as a semantic version the way Flux's semver policy reads it (Masterminds' loose parse): an optional
/// <c>v</c>, one to three numeric parts (missing ones are 0), an optional pre-release and build. Ordered by semver 2.0's
/// precedence (build ignored; a pre-release sorts before its release; numeric identifiers numerically and below
/// alphanumeric ones).
/// </summary>
public sealed partial record SemanticVersion(long Major, long Minor, long Patch, string Prerelease) : IComparable<SemanticVersion>
{
    public bool IsPrerelease => Prerelease.Length > 0;

    public static SemanticVersion? TryParse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var m = Loose().Match(text);
        if (!m.Success
            || !long.TryParse(m.Groups["major"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var major)
            || !Part(m.Groups["minor"], out var minor) || !Part(m.Groups["patch"], out var patch))
        {
            return null;
        }

        return new SemanticVersion(major, minor, patch, m.Groups["pre"].Value);
    }

    public int CompareTo(SemanticVersion? other)
    {
        if (other is null)
        {
            return 1;
        }

        var c = (Major, Minor, Patch).CompareTo((other.Major, other.Minor, other.Patch));
        if (c != 0)
        {
            return c;
        }

        return (IsPrerelease, other.IsPrerelease) switch
        {
            (false, false) => 0,
            (false, true) => 1,
            (true, false) => -1,
            _ => ComparePrerelease(Prerelease, other.Prerelease),
        };
    }

    public static bool operator <(SemanticVersion left, SemanticVersion right) => left.CompareTo(right) < 0;

    public static bool operator >(SemanticVersion left, SemanticVersion right) => left.CompareTo(right) > 0;

    public static bool operator <=(SemanticVersion left, SemanticVersion right) => left.CompareTo(right) <= 0;

    public static bool operator >=(SemanticVersion left, SemanticVersion right) => left.CompareTo(right) >= 0;

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}.{Patch}") + (IsPrerelease ? "-" + Prerelease : "");

    private static int ComparePrerelease(string left, string right)
    {
        var a = left.Split('.');
        var b = right.Split('.');
        for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            var an = long.TryParse(a[i], NumberStyles.None, CultureInfo.InvariantCulture, out var x);
            var bn = long.TryParse(b[i], NumberStyles.None, CultureInfo.InvariantCulture, out var y);
            var c = (an, bn) switch
            {
                (true, true) => x.CompareTo(y),
                (true, false) => -1,
                (false, true) => 1,
                _ => string.CompareOrdinal(a[i], b[i]),
            };
            if (c != 0)
            {
                return Math.Sign(c);
            }
        }

        return a.Length.CompareTo(b.Length);
    }

    private static bool Part(Group group, out long value)
    {
        value = 0;
        return !group.Success || long.TryParse(group.Value, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    [GeneratedRegex(@"^v?(?<major>[0-9]+)(\.(?<minor>[0-9]+))?(\.(?<patch>[0-9]+))?(-(?<pre>[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Loose();
}

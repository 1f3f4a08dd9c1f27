using System.Globalization;
using System.Text.RegularExpressions;

namespace Relais.Server.Artifacts;

/// <summary>
/// GitLab's <c>expire_in</c> text (<c>1 week</c>, <c>3 days 4 hrs</c>, <c>never</c>) as an expiry time; null for never
/// or unreadable. Never throws: the parts are added up in seconds as a <see cref="double"/>, and a total no date can
/// hold (<c>99999999999 years</c>, <c>1e12 seconds</c>, a thousand-digit number) is "never".
/// </summary>
internal static partial class ExpireIn
{
    public static DateTimeOffset? Parse(string? text, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Trim() is "never")
        {
            return null;
        }

        var seconds = 0.0;
        foreach (Match m in Part().Matches(text))
        {
            var n = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture); // digits only: at worst +∞
            seconds += n * UnitSeconds(m.Groups[2].Value.ToUpperInvariant());
        }

        var room = (DateTimeOffset.MaxValue - now).TotalSeconds;
        return seconds > 0 && seconds < room && !double.IsNaN(seconds) ? now + TimeSpan.FromSeconds(seconds) : null;
    }

    private static double UnitSeconds(string unit) => unit switch
    {
        _ when unit.StartsWith("MO", StringComparison.Ordinal) => 30 * 86400.0,
        _ when unit.StartsWith("MI", StringComparison.Ordinal) => 60.0,
        _ when unit.StartsWith('S') => 1.0,
        _ when unit.StartsWith('H') => 3600.0,
        _ when unit.StartsWith('D') => 86400.0,
        _ when unit.StartsWith('W') => 7 * 86400.0,
        _ when unit.StartsWith('Y') => 365 * 86400.0,
        _ => 0.0,
    };

    // Linear time: the text comes from the job (a long run of digits must not cost quadratic time).
    [GeneratedRegex(@"(\d+(?:\.\d+)?)\s*([a-zA-Z]+)", RegexOptions.NonBacktracking)]
    private static partial Regex Part();
}

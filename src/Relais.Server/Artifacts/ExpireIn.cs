using System.Globalization;
using System.Text.RegularExpressions;

namespace Relais.Server.Artifacts;

/// <summary>GitLab's <c>expire_in</c> text (<c>1 week</c>, <c>3 days 4 hrs</c>, <c>never</c>) as an expiry time; null for never or unreadable.</summary>
internal static partial class ExpireIn
{
    public static DateTimeOffset? Parse(string? text, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Trim() is "never")
        {
            return null;
        }

        var total = TimeSpan.Zero;
        foreach (Match m in Part().Matches(text))
        {
            var n = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            if (n > MaxUnits)
            {
                return null; // longer than any date can hold: as good as never
            }

            total += m.Groups[2].Value.ToUpperInvariant() switch
            {
                var u when u.StartsWith("MO", StringComparison.Ordinal) => TimeSpan.FromDays(30 * n),
                var u when u.StartsWith("MI", StringComparison.Ordinal) => TimeSpan.FromMinutes(n),
                var u when u.StartsWith('S') => TimeSpan.FromSeconds(n),
                var u when u.StartsWith('H') => TimeSpan.FromHours(n),
                var u when u.StartsWith('D') => TimeSpan.FromDays(n),
                var u when u.StartsWith('W') => TimeSpan.FromDays(7 * n),
                var u when u.StartsWith('Y') => TimeSpan.FromDays(365 * n),
                _ => TimeSpan.Zero,
            };
        }

        return total > TimeSpan.Zero && total < DateTimeOffset.MaxValue - now ? now + total : null;
    }

    /// <summary>More of any unit than this (100,000 years in seconds is ~3e12) is beyond what a date can hold.</summary>
    private const double MaxUnits = 1e12;

    // Linear time: the text comes from the job (a long run of digits must not cost quadratic time).
    [GeneratedRegex(@"(\d+(?:\.\d+)?)\s*([a-zA-Z]+)", RegexOptions.NonBacktracking)]
    private static partial Regex Part();
}

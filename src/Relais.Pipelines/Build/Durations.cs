using System.Globalization;
using System.Text.RegularExpressions;

namespace Relais.Pipelines.Build;

/// <summary>
/// Human durations as GitLab reads them (<c>timeout</c>, <c>start_in</c>, <c>expire_in</c>,
/// <c>auto_stop_in</c>): a number of seconds, or parts like <c>1h 30m</c>, <c>30 minutes</c>,
/// <c>2 days and 3 hours</c>, <c>1 week</c>.
/// </summary>
public static partial class Durations
{
    public static TimeSpan? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var t = text.Trim().ToLowerInvariant();
        if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var bare))
        {
            return TimeSpan.FromSeconds(bare);
        }

        var total = TimeSpan.Zero;
        var rest = Part().Replace(t, m =>
        {
            var n = double.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture);
            total += Unit(m.Groups["u"].Value) * n;
            return "";
        });
        rest = rest.Replace("and", "", StringComparison.Ordinal).Replace(",", "", StringComparison.Ordinal).Trim();
        return rest.Length == 0 && total > TimeSpan.Zero ? total : null;
    }

    private static TimeSpan Unit(string unit) => unit[0] switch
    {
        's' => TimeSpan.FromSeconds(1),
        'm' when unit.StartsWith("mo", StringComparison.Ordinal) => TimeSpan.FromDays(30),
        'm' => TimeSpan.FromMinutes(1),
        'h' => TimeSpan.FromHours(1),
        'd' => TimeSpan.FromDays(1),
        'w' => TimeSpan.FromDays(7),
        'y' => TimeSpan.FromDays(365),
        _ => TimeSpan.Zero,
    };

    // Linear time (the text is the user's: a long run of digits must not cost quadratic time).
    [GeneratedRegex(@"(?<n>\d+(\.\d+)?)\s*(?<u>seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|wks?|w|months?|mos?|years?|yrs?|y)\b", RegexOptions.NonBacktracking)]
    private static partial Regex Part();
}

using System.Globalization;
using System.Text.RegularExpressions;

namespace Relais.Server.Registry.Cleanup;

/// <summary>
/// Durations written as GitLab's cleanup rules accept them (<c>older_than</c> of the bulk tag delete, the policy's
/// <c>cadence</c>): one or more <c>NUMBER UNIT</c> parts (<c>1h</c>, <c>7d</c>, <c>1month</c>, <c>2 weeks</c>,
/// <c>1d 12h</c>), units as GitLab's duration parser reads them — <c>m</c> is minutes, a month is 30 days, a year
/// 365 days, a bare number is seconds.
/// </summary>
public static partial class CleanupDuration
{
    private static readonly Dictionary<string, double> SecondsPerUnit = new(StringComparer.Ordinal)
    {
        [""] = 1, ["s"] = 1, ["sec"] = 1, ["secs"] = 1, ["second"] = 1, ["seconds"] = 1,
        ["m"] = 60, ["min"] = 60, ["mins"] = 60, ["minute"] = 60, ["minutes"] = 60,
        ["h"] = 3600, ["hr"] = 3600, ["hrs"] = 3600, ["hour"] = 3600, ["hours"] = 3600,
        ["d"] = 86400, ["day"] = 86400, ["days"] = 86400,
        ["w"] = 604800, ["wk"] = 604800, ["wks"] = 604800, ["week"] = 604800, ["weeks"] = 604800,
        ["mo"] = 2592000, ["mos"] = 2592000, ["month"] = 2592000, ["months"] = 2592000,
        ["y"] = 31536000, ["yr"] = 31536000, ["yrs"] = 31536000, ["year"] = 31536000, ["years"] = 31536000,
    };

    /// <summary>The duration <paramref name="text"/> says, or null when it is not one (empty, an unknown unit, zero).</summary>
    public static TimeSpan? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var seconds = 0.0;
        var rest = text.Trim().ToLowerInvariant();
        while (rest.Length > 0)
        {
            var part = Part().Match(rest);
            if (!part.Success || !SecondsPerUnit.TryGetValue(part.Groups["unit"].Value, out var unit))
            {
                return null;
            }

            seconds += double.Parse(part.Groups["number"].Value, CultureInfo.InvariantCulture) * unit;
            rest = rest[part.Length..];
        }

        return seconds > 0 ? TimeSpan.FromSeconds(seconds) : null;
    }

    [GeneratedRegex(@"\A(?<number>[0-9]+(?:\.[0-9]+)?)\s*(?<unit>[a-z]*)(?:\s*,\s*|\s+and\s+|\s+|\z)")]
    private static partial Regex Part();
}

using System.Globalization;
using System.Text.RegularExpressions;

namespace Relais.GitOps.Config;

/// <summary>Durations written as Go (and so Flux) writes them: <c>5s</c>, <c>1m30s</c>, <c>1h</c>, <c>250ms</c>.</summary>
public static partial class GoDuration
{
    /// <summary>The duration, or null when <paramref name="text"/> is not one.</summary>
    public static TimeSpan? TryParse(string text)
    {
        if (text == "0")
        {
            return TimeSpan.Zero;
        }

        var match = Pattern().Match(text);
        if (!match.Success)
        {
            return null;
        }

        double ticks = 0;
        foreach (Capture part in match.Groups["part"].Captures)
        {
            var unit = Unit().Match(part.Value);
            var number = double.Parse(part.Value[..unit.Index], CultureInfo.InvariantCulture);
            ticks += number * unit.Value switch
            {
                "h" => TimeSpan.TicksPerHour,
                "m" => TimeSpan.TicksPerMinute,
                "s" => TimeSpan.TicksPerSecond,
                "ms" => TimeSpan.TicksPerMillisecond,
                "us" or "µs" => TimeSpan.TicksPerMicrosecond,
                _ => 0.01,
            };
        }

        return ticks > TimeSpan.MaxValue.Ticks ? null : TimeSpan.FromTicks((long)ticks);
    }

    [GeneratedRegex(@"^(?<part>[0-9]+(\.[0-9]*)?(ns|us|µs|ms|s|m|h))+$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Pattern();

    [GeneratedRegex(@"(ns|us|µs|ms|s|m|h)$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Unit();
}

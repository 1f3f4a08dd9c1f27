using System.Globalization;

namespace Relais.Server.Web.Html;

/// <summary>Durations, ages and sizes as people read them.</summary>
internal static class Format
{
    /// <summary><c>42s</c>, <c>3m 05s</c>, <c>2h 01m</c>; an em dash for none.</summary>
    public static string Duration(TimeSpan? duration)
    {
        if (duration is not { } d)
        {
            return "—";
        }

        if (d < TimeSpan.Zero)
        {
            d = TimeSpan.Zero;
        }

        return d.TotalHours >= 1 ? Invariant($"{(int)d.TotalHours}h {d.Minutes:00}m")
            : d.TotalMinutes >= 1 ? Invariant($"{(int)d.TotalMinutes}m {d.Seconds:00}s")
            : Invariant($"{(int)d.TotalSeconds}s");
    }

    /// <summary><c>just now</c>, <c>5 minutes ago</c>, <c>3 days ago</c>.</summary>
    public static string Age(DateTimeOffset? at, DateTimeOffset now)
    {
        if (at is not { } t)
        {
            return "—";
        }

        var d = now - t;
        return d.TotalSeconds < 45 ? "just now"
            : d.TotalMinutes < 90 ? Plural((int)Math.Round(d.TotalMinutes), "minute")
            : d.TotalHours < 36 ? Plural((int)Math.Round(d.TotalHours), "hour")
            : Plural((int)Math.Round(d.TotalDays), "day");
    }

    /// <summary>ISO 8601 UTC for <c>&lt;time datetime&gt;</c>.</summary>
    public static string Iso(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "";

    /// <summary>Parses a stored time (ISO text on SQLite; already a time on PostgreSQL, read as text).</summary>
    public static DateTimeOffset? Parse(string? stored) =>
        DateTimeOffset.TryParse(stored, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;

    /// <summary><c>512 B</c>, <c>1.5 KiB</c>, <c>50.0 MiB</c>.</summary>
    public static string Size(long bytes) =>
        bytes < 1024 ? Invariant($"{bytes} B")
        : bytes < 1024 * 1024 ? Invariant($"{bytes / 1024.0:0.0} KiB")
        : bytes < 1024L * 1024 * 1024 ? Invariant($"{bytes / (1024.0 * 1024):0.0} MiB")
        : Invariant($"{bytes / (1024.0 * 1024 * 1024):0.0} GiB");

    public static string ShortSha(string sha) => sha.Length > 8 ? sha[..8] : sha;

    private static string Plural(int n, string unit) => Invariant($"{n} {unit}{(n == 1 ? "" : "s")} ago");

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

using Cronos;

namespace Relais.Server.Pipelines;

/// <summary>
/// A pipeline schedule's timing: a five-field cron expression (minute, hour, day of month, month, day of week, as
/// GitLab takes them) read in an IANA time zone, so <c>0 1 * * *</c> in <c>Europe/Paris</c> runs at 01:00 Paris time
/// across daylight-saving changes (Cronos computes the occurrences).
/// </summary>
public sealed class ScheduleCron
{
    private readonly CronExpression _expression;
    private readonly TimeZoneInfo _zone;

    private ScheduleCron(CronExpression expression, TimeZoneInfo zone)
    {
        _expression = expression;
        _zone = zone;
    }

    /// <summary>GitLab's answer to an expression or zone it cannot read, on the field at fault.</summary>
    public const string InvalidSyntax = "is invalid syntax";

    /// <summary>Reads <paramref name="cron"/> in <paramref name="timeZone"/>; on failure, the field at fault (<c>cron</c> or <c>cron_timezone</c>).</summary>
    public static (ScheduleCron? Cron, string? BadField) Parse(string cron, string timeZone)
    {
        ArgumentNullException.ThrowIfNull(cron);
        CronExpression expression;
        try
        {
            expression = CronExpression.Parse(cron.Trim(), CronFormat.Standard);
        }
        catch (CronFormatException)
        {
            return (null, "cron");
        }

        return Zone(timeZone) is { } zone ? (new ScheduleCron(expression, zone), null) : (null, "cron_timezone");
    }

    /// <summary>The first occurrence strictly after <paramref name="after"/>, or null when the expression never occurs again.</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset after) =>
        _expression.GetNextOccurrence(after, _zone, inclusive: false);

    private static TimeZoneInfo? Zone(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(name.Trim());
        }
        catch (TimeZoneNotFoundException)
        {
            return null;
        }
        catch (InvalidTimeZoneException)
        {
            return null;
        }
    }
}

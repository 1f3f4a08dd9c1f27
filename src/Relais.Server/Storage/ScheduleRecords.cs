namespace Relais.Server.Storage;

/// <summary>
/// One pipeline schedule of a project (<c>/projects/:id/pipeline_schedules</c>): a ref, a cron expression in a time
/// zone (IANA), its owner (the user its pipelines run as) and when it runs next. Times are UTC text
/// (<c>yyyy-MM-ddTHH:mm:ss.fffZ</c>, compared as text).
/// </summary>
public sealed record PipelineScheduleRecord
{
    public long Id { get; init; }

    public long ProjectId { get; init; }

    public long OwnerId { get; init; }

    public string Description { get; init; } = "";

    /// <summary>As given: <c>main</c>, <c>refs/heads/main</c> or <c>refs/tags/v1</c>.</summary>
    public string Ref { get; init; } = "";

    public string Cron { get; init; } = "";

    public string CronTimezone { get; init; } = "UTC";

    public bool Active { get; init; } = true;

    /// <summary>The next due run; null when the schedule is inactive.</summary>
    public string? NextRunAt { get; init; }

    public string CreatedAt { get; init; } = "";

    public string UpdatedAt { get; init; } = "";
}

/// <summary>A variable of a pipeline schedule, given to each pipeline it creates (<c>env_var</c> or <c>file</c>).</summary>
public sealed record ScheduleVariableRecord
{
    public long ScheduleId { get; init; }

    public string Key { get; init; } = "";

    public string Value { get; init; } = "";

    public string VariableType { get; init; } = "env_var";
}

namespace Relais.Server.Storage;

/// <summary>
/// Pipeline schedules (<see cref="PipelineScheduleRecord"/>), their variables and the pipelines they created. Every
/// method may be called concurrently, also from several coordinators on one database; each call is its own transaction.
/// </summary>
public interface IScheduleStore
{
    /// <summary>Stores a new schedule (id and times filled in) and returns it.</summary>
    Task<PipelineScheduleRecord> AddScheduleAsync(PipelineScheduleRecord schedule, DateTimeOffset now, CancellationToken cancel = default);

    /// <summary>The project's schedules, oldest first; <paramref name="active"/> filters when given.</summary>
    Task<IReadOnlyList<PipelineScheduleRecord>> ListSchedulesAsync(long projectId, bool? active, CancellationToken cancel = default);

    Task<PipelineScheduleRecord?> GetScheduleAsync(long projectId, long id, CancellationToken cancel = default);

    /// <summary>Writes the schedule's description, ref, cron, time zone, active, owner and next run; false when it does not exist.</summary>
    Task<bool> UpdateScheduleAsync(PipelineScheduleRecord schedule, DateTimeOffset now, CancellationToken cancel = default);

    Task<bool> DeleteScheduleAsync(long projectId, long id, CancellationToken cancel = default);

    /// <summary>Active schedules whose next run is at or before <paramref name="now"/>, most overdue first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<PipelineScheduleRecord>> ListDueSchedulesAsync(DateTimeOffset now, int limit, CancellationToken cancel = default);

    /// <summary>
    /// Claims the run due at <paramref name="due"/> by moving the schedule's next run to <paramref name="next"/> (null: never again), only if
    /// it is still active and still due at <paramref name="due"/>: true for exactly one caller across coordinators.
    /// </summary>
    Task<bool> ClaimScheduleRunAsync(long id, string due, string? next, DateTimeOffset now, CancellationToken cancel = default);

    /// <summary>Turns the schedule off (its owner may no longer run it, as GitLab does).</summary>
    Task DeactivateScheduleAsync(long id, DateTimeOffset now, CancellationToken cancel = default);

    /// <summary>Records that the schedule created <paramref name="pipelineId"/>.</summary>
    Task AddScheduleRunAsync(long scheduleId, long pipelineId, CancellationToken cancel = default);

    /// <summary>The pipelines the schedule created, oldest first.</summary>
    Task<IReadOnlyList<long>> ListScheduleRunsAsync(long scheduleId, CancellationToken cancel = default);

    Task<IReadOnlyList<ScheduleVariableRecord>> ListScheduleVariablesAsync(long scheduleId, CancellationToken cancel = default);

    /// <summary>Adds a variable; false when the schedule has one with that key already.</summary>
    Task<bool> AddScheduleVariableAsync(ScheduleVariableRecord variable, CancellationToken cancel = default);

    /// <summary>Changes a variable's value and type; false when it does not exist.</summary>
    Task<bool> UpdateScheduleVariableAsync(ScheduleVariableRecord variable, CancellationToken cancel = default);

    Task<bool> DeleteScheduleVariableAsync(long scheduleId, string key, CancellationToken cancel = default);
}

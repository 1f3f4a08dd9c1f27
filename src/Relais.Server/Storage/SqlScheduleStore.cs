using Dapper;

namespace Relais.Server.Storage;

/// <summary>
/// The <see cref="IScheduleStore"/> over SQLite or PostgreSQL (<c>pipeline_schedules</c>, <c>pipeline_schedule_variables</c>,
/// <c>pipeline_schedule_runs</c>). The claim is one conditional UPDATE: on PostgreSQL a second coordinator's UPDATE waits
/// for the first to commit, then re-reads the row and matches nothing; SQLite serialises writers.
/// </summary>
internal sealed class SqlScheduleStore(IDatabase db) : IScheduleStore
{
    private const string Columns = "id, project_id, owner_id, description, ref, cron, cron_timezone, active, next_run_at, created_at, updated_at";

    public async Task<PipelineScheduleRecord> AddScheduleAsync(PipelineScheduleRecord schedule, DateTimeOffset now, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var at = SqlKeyStore.StoredTime(now);
        await using var c = await db.OpenAsync(cancel);
        var id = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO pipeline_schedules (project_id, owner_id, description, ref, cron, cron_timezone, active, next_run_at, created_at, updated_at)
            VALUES (@ProjectId, @OwnerId, @Description, @Ref, @Cron, @CronTimezone, @Active, @NextRunAt, @at, @at) RETURNING id
            """,
            new { schedule.ProjectId, schedule.OwnerId, schedule.Description, schedule.Ref, schedule.Cron, schedule.CronTimezone, schedule.Active, schedule.NextRunAt, at },
            cancellationToken: cancel));
        return schedule with { Id = id, CreatedAt = at, UpdatedAt = at };
    }

    public async Task<IReadOnlyList<PipelineScheduleRecord>> ListSchedulesAsync(long projectId, bool? active, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return [.. await c.QueryAsync<PipelineScheduleRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM pipeline_schedules WHERE project_id = @projectId AND (@active IS NULL OR active = @active) ORDER BY id",
            new { projectId, active },
            cancellationToken: cancel))];
    }

    public async Task<PipelineScheduleRecord?> GetScheduleAsync(long projectId, long id, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.QuerySingleOrDefaultAsync<PipelineScheduleRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM pipeline_schedules WHERE id = @id AND project_id = @projectId", new { id, projectId }, cancellationToken: cancel));
    }

    public async Task<bool> UpdateScheduleAsync(PipelineScheduleRecord schedule, DateTimeOffset now, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        await using var c = await db.OpenAsync(cancel);
        return await c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE pipeline_schedules SET description = @Description, ref = @Ref, cron = @Cron, cron_timezone = @CronTimezone, active = @Active,
                owner_id = @OwnerId, next_run_at = @NextRunAt, updated_at = @at
            WHERE id = @Id AND project_id = @ProjectId
            """,
            new { schedule.Id, schedule.ProjectId, schedule.OwnerId, schedule.Description, schedule.Ref, schedule.Cron, schedule.CronTimezone, schedule.Active, schedule.NextRunAt, at = SqlKeyStore.StoredTime(now) },
            cancellationToken: cancel)) == 1;
    }

    public async Task<bool> DeleteScheduleAsync(long projectId, long id, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        await using var tx = await c.BeginTransactionAsync(cancel);
        var args = new { id, projectId };
        // Children first: SQLite enforces the foreign keys only when asked to, so nothing may rely on the cascade.
        await c.ExecuteAsync(new CommandDefinition(
            "DELETE FROM pipeline_schedule_variables WHERE schedule_id IN (SELECT id FROM pipeline_schedules WHERE id = @id AND project_id = @projectId)", args, tx, cancellationToken: cancel));
        await c.ExecuteAsync(new CommandDefinition(
            "DELETE FROM pipeline_schedule_runs WHERE schedule_id IN (SELECT id FROM pipeline_schedules WHERE id = @id AND project_id = @projectId)", args, tx, cancellationToken: cancel));
        var deleted = await c.ExecuteAsync(new CommandDefinition(
            "DELETE FROM pipeline_schedules WHERE id = @id AND project_id = @projectId", args, tx, cancellationToken: cancel)) == 1;
        await tx.CommitAsync(cancel);
        return deleted;
    }

    public async Task<IReadOnlyList<PipelineScheduleRecord>> ListDueSchedulesAsync(DateTimeOffset now, int limit, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return [.. await c.QueryAsync<PipelineScheduleRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM pipeline_schedules WHERE active = TRUE AND next_run_at IS NOT NULL AND next_run_at <= @now ORDER BY next_run_at, id LIMIT @limit",
            new { now = SqlKeyStore.StoredTime(now), limit },
            cancellationToken: cancel))];
    }

    public async Task<bool> ClaimScheduleRunAsync(long id, string due, string? next, DateTimeOffset now, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.ExecuteAsync(new CommandDefinition(
            "UPDATE pipeline_schedules SET next_run_at = @next, updated_at = @at WHERE id = @id AND active = TRUE AND next_run_at = @due",
            new { id, due, next, at = SqlKeyStore.StoredTime(now) },
            cancellationToken: cancel)) == 1;
    }

    public async Task DeactivateScheduleAsync(long id, DateTimeOffset now, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE pipeline_schedules SET active = FALSE, next_run_at = NULL, updated_at = @at WHERE id = @id",
            new { id, at = SqlKeyStore.StoredTime(now) },
            cancellationToken: cancel));
    }

    public async Task AddScheduleRunAsync(long scheduleId, long pipelineId, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        await c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO pipeline_schedule_runs (schedule_id, pipeline_id) VALUES (@scheduleId, @pipelineId) ON CONFLICT DO NOTHING",
            new { scheduleId, pipelineId },
            cancellationToken: cancel));
    }

    public async Task<IReadOnlyList<long>> ListScheduleRunsAsync(long scheduleId, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return [.. await c.QueryAsync<long>(new CommandDefinition(
            "SELECT pipeline_id FROM pipeline_schedule_runs WHERE schedule_id = @scheduleId ORDER BY pipeline_id", new { scheduleId }, cancellationToken: cancel))];
    }

    public async Task<IReadOnlyList<ScheduleVariableRecord>> ListScheduleVariablesAsync(long scheduleId, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return [.. await c.QueryAsync<ScheduleVariableRecord>(new CommandDefinition(
            "SELECT schedule_id, key, value, variable_type FROM pipeline_schedule_variables WHERE schedule_id = @scheduleId ORDER BY key",
            new { scheduleId },
            cancellationToken: cancel))];
    }

    public async Task<bool> AddScheduleVariableAsync(ScheduleVariableRecord variable, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(variable);
        await using var c = await db.OpenAsync(cancel);
        return await c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO pipeline_schedule_variables (schedule_id, key, value, variable_type) VALUES (@ScheduleId, @Key, @Value, @VariableType)
            ON CONFLICT DO NOTHING
            """,
            variable,
            cancellationToken: cancel)) == 1;
    }

    public async Task<bool> UpdateScheduleVariableAsync(ScheduleVariableRecord variable, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(variable);
        await using var c = await db.OpenAsync(cancel);
        return await c.ExecuteAsync(new CommandDefinition(
            "UPDATE pipeline_schedule_variables SET value = @Value, variable_type = @VariableType WHERE schedule_id = @ScheduleId AND key = @Key",
            variable,
            cancellationToken: cancel)) == 1;
    }

    public async Task<bool> DeleteScheduleVariableAsync(long scheduleId, string key, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.ExecuteAsync(new CommandDefinition(
            "DELETE FROM pipeline_schedule_variables WHERE schedule_id = @scheduleId AND key = @key", new { scheduleId, key }, cancellationToken: cancel)) == 1;
    }
}

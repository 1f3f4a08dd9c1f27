using Dapper;

namespace Relais.Server.Storage;

/// <summary>The <see cref="IRunnerStore"/> over SQLite or PostgreSQL: registered runners, where project runners are enabled, and the jobs they hold.</summary>
internal sealed class SqlRunnerStore(IDatabase db) : IRunnerStore
{
    private const string RunnerColumns =
        "id, description, tags, run_untagged, paused, contacted_at, created_at, runner_type, group_id, locked, access_level, maximum_timeout, creator_id";

    public async Task TouchRunnerAsync(long runnerId, DateTimeOffset at, CancellationToken cancel = default)
    {
        var stale = at - TimeSpan.FromMinutes(1);
        await using var c = await db.OpenAsync(cancel);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE runners SET contacted_at = @at WHERE id = @runnerId AND (contacted_at IS NULL OR contacted_at < @stale)",
            new { runnerId, at, stale },
            cancellationToken: cancel));
    }

    public Task<RunnerRecord> CreateRunnerAsync(string tokenHash, string description, string tags, bool runUntagged, DateTimeOffset now, CancellationToken cancel = default) =>
        CreateRunnerAsync(tokenHash, new RunnerRecord { Description = description, Tags = tags, RunUntagged = runUntagged }, null, now, cancel);

    public async Task<RunnerRecord> CreateRunnerAsync(string tokenHash, RunnerRecord runner, long? projectId, DateTimeOffset now, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(runner);
        await using var c = await db.OpenAsync(cancel);
        await using var tx = await c.BeginTransactionAsync(cancel);
        var id = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO runners (token_hash, description, tags, run_untagged, locked, paused, created_at, runner_type, group_id, access_level, maximum_timeout, creator_id)
            VALUES (@tokenHash, @Description, @Tags, @RunUntagged, @Locked, @Paused, @now, @RunnerType, @GroupId, @AccessLevel, @MaximumTimeout, @CreatorId) RETURNING id
            """,
            new { tokenHash, runner.Description, runner.Tags, runner.RunUntagged, runner.Locked, runner.Paused, now, runner.RunnerType, runner.GroupId, runner.AccessLevel, runner.MaximumTimeout, runner.CreatorId },
            tx,
            cancellationToken: cancel));
        if (projectId is { } project)
        {
            await c.ExecuteAsync(new CommandDefinition(
                "INSERT INTO runner_projects (runner_id, project_id, created_at) VALUES (@id, @project, @now)", new { id, project, now }, tx, cancellationToken: cancel));
        }

        await tx.CommitAsync(cancel);
        return runner with { Id = id };
    }

    public async Task<RunnerRecord?> FindRunnerAsync(string tokenHash, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.QuerySingleOrDefaultAsync<RunnerRecord>(new CommandDefinition(
            $"SELECT {RunnerColumns} FROM runners WHERE token_hash = @tokenHash", new { tokenHash }, cancellationToken: cancel));
    }

    public async Task<RunnerRecord?> GetRunnerAsync(long id, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.QuerySingleOrDefaultAsync<RunnerRecord>(new CommandDefinition(
            $"SELECT {RunnerColumns} FROM runners WHERE id = @id", new { id }, cancellationToken: cancel));
    }

    public async Task<bool> DeleteRunnerAsync(string tokenHash, CancellationToken cancel = default) =>
        await FindRunnerAsync(tokenHash, cancel) is { } runner && await DeleteRunnerAsync(runner.Id, cancel);

    public async Task<bool> DeleteRunnerAsync(long id, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        await using var tx = await c.BeginTransactionAsync(cancel);
        await c.ExecuteAsync(new CommandDefinition("DELETE FROM runner_projects WHERE runner_id = @id", new { id }, tx, cancellationToken: cancel));
        var deleted = await c.ExecuteAsync(new CommandDefinition("DELETE FROM runners WHERE id = @id", new { id }, tx, cancellationToken: cancel)) == 1;
        await tx.CommitAsync(cancel);
        return deleted;
    }

    public async Task<bool> UpdateRunnerAsync(RunnerRecord runner, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE runners SET description = @Description, tags = @Tags, run_untagged = @RunUntagged, paused = @Paused, locked = @Locked,
                access_level = @AccessLevel, maximum_timeout = @MaximumTimeout
            WHERE id = @Id
            """,
            new { runner.Id, runner.Description, runner.Tags, runner.RunUntagged, runner.Paused, runner.Locked, runner.AccessLevel, runner.MaximumTimeout },
            cancellationToken: cancel)) == 1;
    }

    public async Task<IReadOnlyList<RunnerRecord>> ListRunnersAsync(CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return [.. await c.QueryAsync<RunnerRecord>(new CommandDefinition($"SELECT {RunnerColumns} FROM runners ORDER BY id", cancellationToken: cancel))];
    }

    public async Task<IReadOnlyList<long>> RunnerProjectsAsync(long runnerId, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return [.. await c.QueryAsync<long>(new CommandDefinition(
            "SELECT project_id FROM runner_projects WHERE runner_id = @runnerId ORDER BY created_at, project_id", new { runnerId }, cancellationToken: cancel))];
    }

    public async Task<IReadOnlyList<(long RunnerId, long ProjectId)>> RunnerProjectLinksAsync(CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return [.. await c.QueryAsync<(long, long)>(new CommandDefinition(
            "SELECT runner_id, project_id FROM runner_projects ORDER BY runner_id, created_at, project_id", cancellationToken: cancel))];
    }

    public async Task<bool> EnableRunnerAsync(long runnerId, long projectId, DateTimeOffset now, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO runner_projects (runner_id, project_id, created_at) VALUES (@runnerId, @projectId, @now) ON CONFLICT (runner_id, project_id) DO NOTHING",
            new { runnerId, projectId, now },
            cancellationToken: cancel)) == 1;
    }

    public async Task<bool> DisableRunnerAsync(long runnerId, long projectId, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.ExecuteAsync(new CommandDefinition(
            "DELETE FROM runner_projects WHERE runner_id = @runnerId AND project_id = @projectId", new { runnerId, projectId }, cancellationToken: cancel)) == 1;
    }

    public async Task<string?> GetSettingAsync(string name, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.QuerySingleOrDefaultAsync<string>(new CommandDefinition("SELECT value FROM ci_settings WHERE name = @name", new { name }, cancellationToken: cancel));
    }

    public async Task<string> EnsureSettingAsync(string name, string value, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        await c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO ci_settings (name, value) VALUES (@name, @value) ON CONFLICT (name) DO NOTHING", new { name, value }, cancellationToken: cancel));
        return await c.QuerySingleAsync<string>(new CommandDefinition("SELECT value FROM ci_settings WHERE name = @name", new { name }, cancellationToken: cancel));
    }

    public async Task<IReadOnlyList<JobRecord>> RunnerJobsAsync(long runnerId, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return [.. await c.QueryAsync<JobRecord>(new CommandDefinition(
            $"SELECT {SqlPipelineStore.JobColumns} FROM jobs WHERE runner_id = @runnerId ORDER BY id DESC", new { runnerId }, cancellationToken: cancel))];
    }

    public async Task<IReadOnlyList<RunnerJobRecord>> ProcessingJobsAsync(CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return [.. await c.QueryAsync<RunnerJobRecord>(new CommandDefinition(
            """
            SELECT j.id, j.name, j.status AS stored_status, j.runner_id, p.path AS project_path FROM jobs j JOIN projects p ON p.id = j.project_id
            WHERE j.status IN ('running', 'canceling') AND j.runner_id IS NOT NULL ORDER BY j.id
            """,
            cancellationToken: cancel))];
    }
}

using Dapper;

namespace Relais.Server.Storage;

/// <summary>The <see cref="IRunnerStore"/> over SQLite or PostgreSQL: registered runners and the jobs they hold.</summary>
internal sealed class SqlRunnerStore(IDatabase db) : IRunnerStore
{
    public async Task TouchRunnerAsync(long runnerId, DateTimeOffset at, CancellationToken cancel = default)
    {
        var stale = at - TimeSpan.FromMinutes(1);
        await using var c = await db.OpenAsync(cancel);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE runners SET contacted_at = @at WHERE id = @runnerId AND (contacted_at IS NULL OR contacted_at < @stale)",
            new { runnerId, at, stale },
            cancellationToken: cancel));
    }

    public async Task<RunnerRecord> CreateRunnerAsync(string tokenHash, string description, string tags, bool runUntagged, DateTimeOffset now, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        var id = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO runners (token_hash, description, tags, run_untagged, locked, created_at)
            VALUES (@tokenHash, @description, @tags, @runUntagged, FALSE, @now) RETURNING id
            """,
            new { tokenHash, description, tags, runUntagged, now },
            cancellationToken: cancel));
        return new RunnerRecord { Id = id, Description = description, Tags = tags, RunUntagged = runUntagged };
    }

    public async Task<RunnerRecord?> FindRunnerAsync(string tokenHash, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.QuerySingleOrDefaultAsync<RunnerRecord>(new CommandDefinition(
            "SELECT id, description, tags, run_untagged, paused FROM runners WHERE token_hash = @tokenHash", new { tokenHash },
            cancellationToken: cancel));
    }

    public async Task<bool> DeleteRunnerAsync(string tokenHash, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.ExecuteAsync(new CommandDefinition("DELETE FROM runners WHERE token_hash = @tokenHash", new { tokenHash }, cancellationToken: cancel)) == 1;
    }

    public async Task<IReadOnlyList<RunnerRecord>> ListRunnersAsync(CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return [.. await c.QueryAsync<RunnerRecord>(new CommandDefinition("SELECT id, description, tags, run_untagged, paused, contacted_at FROM runners ORDER BY id", cancellationToken: cancel))];
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

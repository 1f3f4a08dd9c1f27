using Dapper;

namespace Relais.Server.Storage;

/// <summary>The <see cref="ITriggerStore"/> over SQLite or PostgreSQL (<c>pipeline_triggers</c>).</summary>
internal sealed class SqlTriggerStore(IDatabase db) : ITriggerStore
{
    private const string Columns = "id, project_id, owner_id, description, token_hash, sealed_token, created_at, updated_at, last_used_at";

    public async Task<PipelineTriggerRecord> AddTriggerAsync(PipelineTriggerRecord trigger, DateTimeOffset now, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        var at = SqlKeyStore.StoredTime(now);
        await using var c = await db.OpenAsync(cancel);
        var id = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO pipeline_triggers (project_id, owner_id, description, token_hash, sealed_token, created_at, updated_at)
            VALUES (@ProjectId, @OwnerId, @Description, @TokenHash, @SealedToken, @at, @at) RETURNING id
            """,
            new { trigger.ProjectId, trigger.OwnerId, trigger.Description, trigger.TokenHash, trigger.SealedToken, at },
            cancellationToken: cancel));
        return trigger with { Id = id, CreatedAt = at, UpdatedAt = at };
    }

    public async Task<IReadOnlyList<PipelineTriggerRecord>> ListTriggersAsync(long projectId, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return [.. await c.QueryAsync<PipelineTriggerRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM pipeline_triggers WHERE project_id = @projectId ORDER BY id", new { projectId }, cancellationToken: cancel))];
    }

    public async Task<PipelineTriggerRecord?> GetTriggerAsync(long projectId, long id, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.QuerySingleOrDefaultAsync<PipelineTriggerRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM pipeline_triggers WHERE id = @id AND project_id = @projectId", new { id, projectId }, cancellationToken: cancel));
    }

    public async Task<PipelineTriggerRecord?> FindTriggerAsync(long projectId, string tokenHash, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.QuerySingleOrDefaultAsync<PipelineTriggerRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM pipeline_triggers WHERE token_hash = @tokenHash AND project_id = @projectId", new { tokenHash, projectId }, cancellationToken: cancel));
    }

    public async Task<bool> DescribeTriggerAsync(long projectId, long id, string description, DateTimeOffset now, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.ExecuteAsync(new CommandDefinition(
            "UPDATE pipeline_triggers SET description = @description, updated_at = @at WHERE id = @id AND project_id = @projectId",
            new { id, projectId, description, at = SqlKeyStore.StoredTime(now) },
            cancellationToken: cancel)) == 1;
    }

    public async Task<bool> DeleteTriggerAsync(long projectId, long id, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.ExecuteAsync(new CommandDefinition(
            "DELETE FROM pipeline_triggers WHERE id = @id AND project_id = @projectId", new { id, projectId }, cancellationToken: cancel)) == 1;
    }

    public async Task TouchTriggerAsync(long id, DateTimeOffset now, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE pipeline_triggers SET last_used_at = @at WHERE id = @id", new { id, at = SqlKeyStore.StoredTime(now) }, cancellationToken: cancel));
    }
}

using Dapper;

namespace Relais.Server.Storage;

/// <summary>The <see cref="IJobTokenScopeStore"/> over SQLite or PostgreSQL (<c>projects.job_token_scope_enabled</c>, <c>job_token_allowlist</c>).</summary>
internal sealed class SqlJobTokenScopeStore(IDatabase db) : IJobTokenScopeStore
{
    public async Task<bool> AllowsAsync(long projectId, long sourceProjectId, CancellationToken cancel = default)
    {
        if (projectId == sourceProjectId)
        {
            return true;
        }

        await using var c = await db.OpenAsync(cancel);
        return await c.ExecuteScalarAsync<bool>(new CommandDefinition(
            """
            SELECT EXISTS (SELECT 1 FROM projects WHERE id = @projectId AND NOT job_token_scope_enabled)
                OR EXISTS (SELECT 1 FROM job_token_allowlist WHERE project_id = @projectId AND allowed_project_id = @sourceProjectId)
            """,
            new { projectId, sourceProjectId },
            cancellationToken: cancel));
    }

    public async Task<bool> IsEnabledAsync(long projectId, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.ExecuteScalarAsync<bool?>(new CommandDefinition(
            "SELECT job_token_scope_enabled FROM projects WHERE id = @projectId", new { projectId }, cancellationToken: cancel)) ?? true;
    }

    public async Task SetEnabledAsync(long projectId, bool enabled, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE projects SET job_token_scope_enabled = @enabled WHERE id = @projectId", new { projectId, enabled }, cancellationToken: cancel));
    }

    public async Task<IReadOnlyList<long>> ListAllowedAsync(long projectId, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return [.. await c.QueryAsync<long>(new CommandDefinition(
            "SELECT allowed_project_id FROM job_token_allowlist WHERE project_id = @projectId ORDER BY created_at, allowed_project_id",
            new { projectId },
            cancellationToken: cancel))];
    }

    public async Task<bool> AddAllowedAsync(long projectId, long allowedProjectId, DateTimeOffset now, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO job_token_allowlist (project_id, allowed_project_id, created_at) VALUES (@projectId, @allowedProjectId, @now)
            ON CONFLICT DO NOTHING
            """,
            new { projectId, allowedProjectId, now },
            cancellationToken: cancel)) == 1;
    }

    public async Task<bool> RemoveAllowedAsync(long projectId, long allowedProjectId, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.ExecuteAsync(new CommandDefinition(
            "DELETE FROM job_token_allowlist WHERE project_id = @projectId AND allowed_project_id = @allowedProjectId",
            new { projectId, allowedProjectId },
            cancellationToken: cancel)) == 1;
    }
}

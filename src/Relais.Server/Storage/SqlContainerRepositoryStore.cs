using Dapper;

namespace Relais.Server.Storage;

/// <summary>The <see cref="IContainerRepositoryStore"/> over SQLite or PostgreSQL (<c>container_repositories</c>).</summary>
internal sealed class SqlContainerRepositoryStore(IDatabase db) : IContainerRepositoryStore
{
    private const string Columns = "id, project_id, name, created_at";

    public async Task<ContainerRepositoryRecord> EnsureAsync(long projectId, string name, DateTimeOffset now, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        await c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO container_repositories (project_id, name, created_at) VALUES (@projectId, @name, @now) ON CONFLICT (project_id, name) DO NOTHING",
            new { projectId, name, now },
            cancellationToken: cancel));
        return await c.QuerySingleAsync<ContainerRepositoryRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM container_repositories WHERE project_id = @projectId AND name = @name", new { projectId, name }, cancellationToken: cancel));
    }

    public async Task<ContainerRepositoryRecord?> GetAsync(long id, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.QuerySingleOrDefaultAsync<ContainerRepositoryRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM container_repositories WHERE id = @id", new { id }, cancellationToken: cancel));
    }

    public async Task<IReadOnlyList<ContainerRepositoryRecord>> ListAsync(long projectId, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return [.. await c.QueryAsync<ContainerRepositoryRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM container_repositories WHERE project_id = @projectId ORDER BY name, id", new { projectId }, cancellationToken: cancel))];
    }

    public async Task<bool> DeleteAsync(long id, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.ExecuteAsync(new CommandDefinition("DELETE FROM container_repositories WHERE id = @id", new { id }, cancellationToken: cancel)) == 1;
    }
}

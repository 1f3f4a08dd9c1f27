using System.Globalization;
using Dapper;

namespace Relais.Server.Storage;

/// <summary>The <see cref="IContainerRepositoryStore"/> over SQLite or PostgreSQL (<c>container_repositories</c>).</summary>
internal sealed class SqlContainerRepositoryStore(IDatabase db) : IContainerRepositoryStore
{
    // created_at is read as text: SQLite keeps text, which Dapper cannot turn into a DateTimeOffset; PostgreSQL's timestamptz prints as ISO.
    private const string Columns = "id, project_id, name, CAST(created_at AS TEXT) AS created_at, CAST(expiration_policy_started_at AS TEXT) AS expiration_policy_started_at";

    public async Task<ContainerRepositoryRecord> EnsureAsync(long projectId, string name, DateTimeOffset now, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        await c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO container_repositories (project_id, name, created_at) VALUES (@projectId, @name, @now) ON CONFLICT (project_id, name) DO NOTHING",
            new { projectId, name, now },
            cancellationToken: cancel));
        return (await c.QuerySingleAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM container_repositories WHERE project_id = @projectId AND name = @name", new { projectId, name }, cancellationToken: cancel))).Record;
    }

    public async Task<ContainerRepositoryRecord?> GetAsync(long id, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return (await c.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM container_repositories WHERE id = @id", new { id }, cancellationToken: cancel)))?.Record;
    }

    public async Task<IReadOnlyList<ContainerRepositoryRecord>> ListAsync(long projectId, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return [.. (await c.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM container_repositories WHERE project_id = @projectId ORDER BY name, id", new { projectId }, cancellationToken: cancel))).Select(r => r.Record)];
    }

    public async Task<bool> DeleteAsync(long id, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.ExecuteAsync(new CommandDefinition("DELETE FROM container_repositories WHERE id = @id", new { id }, cancellationToken: cancel)) == 1;
    }

    /// <summary>A row as read, its time as text.</summary>
    private sealed class Row
    {
        public long Id { get; init; }

        public long ProjectId { get; init; }

        public string Name { get; init; } = "";

        public string CreatedAt { get; init; } = "";

        public string? ExpirationPolicyStartedAt { get; init; }

        public ContainerRepositoryRecord Record => new()
        {
            Id = Id,
            ProjectId = ProjectId,
            Name = Name,
            CreatedAt = Time(CreatedAt),
            CleanupPolicyStartedAt = ExpirationPolicyStartedAt is { } started ? Time(started) : null,
        };

        private static DateTimeOffset Time(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
    }
}

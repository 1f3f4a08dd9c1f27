using System.Data.Common;
using Dapper;

namespace Relais.Server.Storage;

/// <summary>The <see cref="IProtectedEnvironmentStore"/> over SQLite or PostgreSQL (times as UTC text).</summary>
internal sealed class SqlProtectedEnvironmentStore(IDatabase db) : IProtectedEnvironmentStore
{
    private const string Columns = "id, project_id, name, required_approval_count, created_at";

    public async Task<(IReadOnlyList<ProtectedEnvironmentRecord> Page, int Total)> ListAsync(long projectId, int offset, int limit, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        var total = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM protected_environments WHERE project_id = @projectId", new { projectId }, cancellationToken: cancel));
        var rows = await c.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM protected_environments WHERE project_id = @projectId ORDER BY name, id LIMIT @limit OFFSET @offset",
            new { projectId, limit, offset },
            cancellationToken: cancel));
        var page = new List<ProtectedEnvironmentRecord>();
        foreach (var row in rows)
        {
            page.Add(await WithLevelsAsync(c, row, cancel));
        }

        return (page, (int)total);
    }

    public async Task<ProtectedEnvironmentRecord?> FindAsync(long projectId, string name, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        var row = await c.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM protected_environments WHERE project_id = @projectId AND name = @name", new { projectId, name }, cancellationToken: cancel));
        return row is null ? null : await WithLevelsAsync(c, row, cancel);
    }

    public async Task<ProtectedEnvironmentRecord?> CreateAsync(ProtectedEnvironmentRecord environment, DateTimeOffset now, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(environment);
        await using (var c = await db.OpenAsync(cancel))
        {
            await using var tx = await c.BeginTransactionAsync(cancel);
            var id = await c.ExecuteScalarAsync<long?>(new CommandDefinition(
                """
                INSERT INTO protected_environments (project_id, name, required_approval_count, created_at)
                VALUES (@ProjectId, @Name, @RequiredApprovalCount, @at) ON CONFLICT DO NOTHING RETURNING id
                """,
                new { environment.ProjectId, environment.Name, environment.RequiredApprovalCount, at = SqlKeyStore.StoredTime(now) },
                tx,
                cancellationToken: cancel));
            if (id is null)
            {
                return null;
            }

            await AddLevelsAsync(c, tx, id.Value, environment.DeployAccessLevels, cancel);
            await tx.CommitAsync(cancel);
        }

        return await FindAsync(environment.ProjectId, environment.Name, cancel);
    }

    public async Task UpdateAsync(ProtectedEnvironmentRecord environment, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(environment);
        await using var c = await db.OpenAsync(cancel);
        await using var tx = await c.BeginTransactionAsync(cancel);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE protected_environments SET required_approval_count = @RequiredApprovalCount WHERE id = @Id",
            new { environment.RequiredApprovalCount, environment.Id },
            tx,
            cancellationToken: cancel));
        var kept = environment.DeployAccessLevels.Where(l => l.Id != 0).Select(l => l.Id).ToList();
        foreach (var stored in await c.QueryAsync<long>(new CommandDefinition(
            "SELECT id FROM protected_environment_deploy_access_levels WHERE protected_environment_id = @Id", new { environment.Id }, tx, cancellationToken: cancel)))
        {
            if (!kept.Contains(stored))
            {
                await c.ExecuteAsync(new CommandDefinition(
                    "DELETE FROM protected_environment_deploy_access_levels WHERE id = @stored", new { stored }, tx, cancellationToken: cancel));
            }
        }

        await AddLevelsAsync(c, tx, environment.Id, environment.DeployAccessLevels.Where(l => l.Id == 0), cancel);
        await tx.CommitAsync(cancel);
    }

    public async Task<bool> DeleteAsync(long id, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.ExecuteAsync(new CommandDefinition("DELETE FROM protected_environments WHERE id = @id", new { id }, cancellationToken: cancel)) == 1;
    }

    private static async Task AddLevelsAsync(DbConnection c, DbTransaction tx, long environmentId, IEnumerable<DeployAccessLevelRecord> levels, CancellationToken cancel)
    {
        foreach (var level in levels)
        {
            await c.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO protected_environment_deploy_access_levels (protected_environment_id, access_level, user_id, group_id)
                VALUES (@environmentId, @AccessLevel, @UserId, @GroupId)
                """,
                new { environmentId, level.AccessLevel, level.UserId, level.GroupId },
                tx,
                cancellationToken: cancel));
        }
    }

    private static async Task<ProtectedEnvironmentRecord> WithLevelsAsync(DbConnection c, Row row, CancellationToken cancel)
    {
        var levels = await c.QueryAsync<LevelRow>(new CommandDefinition(
            "SELECT id, access_level, user_id, group_id FROM protected_environment_deploy_access_levels WHERE protected_environment_id = @Id ORDER BY id",
            new { row.Id },
            cancellationToken: cancel));
        return new ProtectedEnvironmentRecord
        {
            Id = row.Id,
            ProjectId = row.ProjectId,
            Name = row.Name,
            RequiredApprovalCount = (int)row.RequiredApprovalCount,
            CreatedAt = StoredTimes.Parse(row.CreatedAt),
            DeployAccessLevels = [.. levels.Select(l => new DeployAccessLevelRecord { Id = l.Id, AccessLevel = (int?)l.AccessLevel, UserId = l.UserId, GroupId = l.GroupId })],
        };
    }

    private sealed class Row
    {
        public long Id { get; init; }

        public long ProjectId { get; init; }

        public string Name { get; init; } = "";

        public long RequiredApprovalCount { get; init; }

        public string CreatedAt { get; init; } = "";
    }

    private sealed class LevelRow
    {
        public long Id { get; init; }

        public long? AccessLevel { get; init; }

        public long? UserId { get; init; }

        public long? GroupId { get; init; }
    }
}

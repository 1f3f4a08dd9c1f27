using Dapper;

namespace Relais.Server.Storage;

/// <summary>
/// The <see cref="IGroupStore"/> over SQLite or PostgreSQL (table <c>groups</c>). Paths compare case-insensitively, as
/// GitLab's: a new group is refused when a group or project already has its full path, or, at the top level, a user its name.
/// </summary>
internal sealed class SqlGroupStore(IDatabase db) : IGroupStore
{
    private const string Columns = "id, parent_id, path, full_path, name, description, visibility, created_at";

    public async Task<GroupRecord?> CreateGroupAsync(GroupRecord group, long ownerId, DateTimeOffset now, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(group);
        await using var c = await db.OpenAsync(cancel);
        await using var tx = await c.BeginTransactionAsync(cancel);
        var id = await c.ExecuteScalarAsync<long?>(new CommandDefinition(
            """
            INSERT INTO groups (parent_id, path, full_path, name, description, visibility, created_at)
            SELECT @ParentId, @Path, @FullPath, @Name, @Description, @Visibility, @now
            WHERE NOT EXISTS (SELECT 1 FROM groups WHERE lower(full_path) = lower(@FullPath))
            AND NOT EXISTS (SELECT 1 FROM projects WHERE lower(path) = lower(@FullPath))
            AND NOT (@topLevel AND EXISTS (SELECT 1 FROM users WHERE lower(username) = lower(@FullPath)))
            ON CONFLICT (full_path) DO NOTHING RETURNING id
            """,
            new { group.ParentId, group.Path, group.FullPath, group.Name, group.Description, group.Visibility, now, topLevel = group.ParentId is null },
            tx,
            cancellationToken: cancel));
        if (id is null)
        {
            return null;
        }

        await c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO members (source_type, source_id, user_id, access_level, created_by, created_at)
            VALUES ('Group', @id, @ownerId, 50, @ownerId, @now)
            """,
            new { id, ownerId, now },
            tx,
            cancellationToken: cancel));
        await tx.CommitAsync(cancel);
        return await GetGroupAsync(id.Value, cancel);
    }

    public async Task<GroupRecord?> GetGroupAsync(long id, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.QuerySingleOrDefaultAsync<GroupRecord>(new CommandDefinition($"SELECT {Columns} FROM groups WHERE id = @id", new { id }, cancellationToken: cancel));
    }

    public async Task<GroupRecord?> FindGroupAsync(string fullPath, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.QuerySingleOrDefaultAsync<GroupRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM groups WHERE lower(full_path) = lower(@fullPath)", new { fullPath }, cancellationToken: cancel));
    }

    public async Task<IReadOnlyList<GroupRecord>> ListGroupsAsync(CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return [.. await c.QueryAsync<GroupRecord>(new CommandDefinition($"SELECT {Columns} FROM groups ORDER BY full_path", cancellationToken: cancel))];
    }

    public async Task<bool> UpdateGroupAsync(long id, string name, string description, string visibility, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.ExecuteAsync(new CommandDefinition(
            "UPDATE groups SET name = @name, description = @description, visibility = @visibility WHERE id = @id",
            new { id, name, description, visibility },
            cancellationToken: cancel)) == 1;
    }

    public async Task<GroupDeletion> DeleteGroupAsync(long id, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        await using var tx = await c.BeginTransactionAsync(cancel);
        var fullPath = await c.ExecuteScalarAsync<string?>(new CommandDefinition("SELECT full_path FROM groups WHERE id = @id", new { id }, tx, cancellationToken: cancel));
        if (fullPath is null)
        {
            return GroupDeletion.NotFound;
        }

        var prefix = fullPath + "/";
        var held = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            SELECT (SELECT COUNT(*) FROM groups WHERE parent_id = @id)
                 + (SELECT COUNT(*) FROM projects WHERE SUBSTR(path, 1, LENGTH(@prefix)) = @prefix)
            """,
            new { id, prefix },
            tx,
            cancellationToken: cancel));
        if (held > 0)
        {
            return GroupDeletion.NotEmpty;
        }

        await c.ExecuteAsync(new CommandDefinition("DELETE FROM members WHERE source_type = 'Group' AND source_id = @id", new { id }, tx, cancellationToken: cancel));
        await c.ExecuteAsync(new CommandDefinition("DELETE FROM group_variables WHERE group_id = @id", new { id }, tx, cancellationToken: cancel));
        await c.ExecuteAsync(new CommandDefinition("DELETE FROM runners WHERE group_id = @id", new { id }, tx, cancellationToken: cancel));
        await c.ExecuteAsync(new CommandDefinition("DELETE FROM groups WHERE id = @id", new { id }, tx, cancellationToken: cancel));
        await tx.CommitAsync(cancel);
        return GroupDeletion.Deleted;
    }
}

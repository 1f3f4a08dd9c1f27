using System.Globalization;
using Dapper;
using Relais.Server.Auth;

namespace Relais.Server.Storage;

/// <summary>
/// The <see cref="IMemberStore"/> over SQLite or PostgreSQL (table <c>members</c>; <c>source_type</c> is
/// <c>Project</c> or <c>Group</c>). A group's last Owner is never removed or demoted: the statements themselves refuse it.
/// </summary>
internal sealed class SqlMemberStore(IDatabase db) : IMemberStore
{
    private const string Columns = "m.source_type AS source, m.source_id, m.user_id, u.username, m.access_level, m.expires_at, m.created_by, m.created_at";

    /// <summary>True unless the row is a group's only Owner (so removing or demoting it would leave the group without one).</summary>
    private const string NotLastOwner = """
        (source_type <> 'Group' OR access_level < 50
         OR (SELECT COUNT(*) FROM members o WHERE o.source_type = 'Group' AND o.source_id = @sourceId AND o.access_level >= 50) > 1)
        """;

    public async Task<Memberships> ReadMembershipsAsync(long userId, DateOnly today, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        var rows = await c.QueryAsync<(string Source, long SourceId, int AccessLevel, string? FullPath)>(new CommandDefinition(
            """
            SELECT m.source_type, m.source_id, m.access_level, g.full_path FROM members m
            LEFT JOIN groups g ON m.source_type = 'Group' AND g.id = m.source_id
            WHERE m.user_id = @userId AND (m.expires_at IS NULL OR m.expires_at > @day)
            """,
            new { userId, day = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) },
            cancellationToken: cancel));
        var projects = new Dictionary<long, AccessLevel>();
        var namespaces = new Dictionary<string, AccessLevel>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (row.Source == nameof(MemberSource.Project))
            {
                projects[row.SourceId] = (AccessLevel)row.AccessLevel;
            }
            else if (row.FullPath is { } path)
            {
                namespaces[path] = (AccessLevel)row.AccessLevel;
            }
        }

        return new Memberships(projects, namespaces);
    }

    public async Task<IReadOnlyList<MemberRecord>> ListMembersAsync(MemberSource source, long sourceId, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return [.. await c.QueryAsync<MemberRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM members m JOIN users u ON u.id = m.user_id WHERE m.source_type = @type AND m.source_id = @sourceId ORDER BY u.username",
            new { type = source.ToString(), sourceId },
            cancellationToken: cancel))];
    }

    public async Task<MemberRecord?> GetMemberAsync(MemberSource source, long sourceId, long userId, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.QuerySingleOrDefaultAsync<MemberRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM members m JOIN users u ON u.id = m.user_id WHERE m.source_type = @type AND m.source_id = @sourceId AND m.user_id = @userId",
            new { type = source.ToString(), sourceId, userId },
            cancellationToken: cancel));
    }

    public async Task<MemberRecord?> AddMemberAsync(MemberRecord member, DateTimeOffset now, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(member);
        await using (var c = await db.OpenAsync(cancel))
        {
            var id = await c.ExecuteScalarAsync<long?>(new CommandDefinition(
                """
                INSERT INTO members (source_type, source_id, user_id, access_level, expires_at, created_by, created_at)
                VALUES (@type, @SourceId, @UserId, @AccessLevel, @ExpiresAt, @CreatedBy, @now)
                ON CONFLICT (source_type, source_id, user_id) DO NOTHING RETURNING id
                """,
                new { type = member.Source.ToString(), member.SourceId, member.UserId, member.AccessLevel, member.ExpiresAt, member.CreatedBy, now },
                cancellationToken: cancel));
            if (id is null)
            {
                return null;
            }
        }

        return await GetMemberAsync(member.Source, member.SourceId, member.UserId, cancel);
    }

    public async Task<bool> UpdateMemberAsync(MemberSource source, long sourceId, long userId, int accessLevel, string? expiresAt, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.ExecuteAsync(new CommandDefinition(
            $"""
            UPDATE members SET access_level = @accessLevel, expires_at = @expiresAt
            WHERE source_type = @type AND source_id = @sourceId AND user_id = @userId AND (@accessLevel >= 50 OR {NotLastOwner})
            """,
            new { type = source.ToString(), sourceId, userId, accessLevel, expiresAt },
            cancellationToken: cancel)) == 1;
    }

    public async Task<bool> RemoveMemberAsync(MemberSource source, long sourceId, long userId, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.ExecuteAsync(new CommandDefinition(
            $"DELETE FROM members WHERE source_type = @type AND source_id = @sourceId AND user_id = @userId AND {NotLastOwner}",
            new { type = source.ToString(), sourceId, userId },
            cancellationToken: cancel)) == 1;
    }
}

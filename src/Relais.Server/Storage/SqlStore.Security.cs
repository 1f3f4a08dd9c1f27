using Dapper;

namespace Relais.Server.Storage;

/// <summary>Users and their tokens as administrators create them, and the audit log.</summary>
internal sealed partial class SqlStore
{
    public async Task<UserRecord?> AddUserAsync(string username, bool isAdmin, DateTimeOffset now, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        var id = await c.ExecuteScalarAsync<long?>(
            "INSERT INTO users (username, is_admin, created_at) VALUES (@username, @isAdmin, @now) ON CONFLICT (username) DO NOTHING RETURNING id",
            new { username, isAdmin, now });
        return id is null ? null : new UserRecord { Id = id.Value, Username = username, IsAdmin = isAdmin };
    }

    public async Task<UserRecord?> GetUserAsync(long id, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.QuerySingleOrDefaultAsync<UserRecord>("SELECT id, username, is_admin FROM users WHERE id = @id", new { id });
    }

    public async Task<PersonalTokenRecord> AddPersonalAccessTokenAsync(long userId, string name, string tokenHash, DateTimeOffset now, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        var id = await c.ExecuteScalarAsync<long>(
            "INSERT INTO personal_access_tokens (user_id, name, token_hash, created_at) VALUES (@userId, @name, @tokenHash, @now) RETURNING id",
            new { userId, name, tokenHash, now });
        return new PersonalTokenRecord(id, userId, name, now);
    }

    public async Task<PersonalTokenRecord?> GetPersonalAccessTokenAsync(long id, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        var row = await c.QuerySingleOrDefaultAsync<TokenRow>("SELECT id, user_id, name, revoked FROM personal_access_tokens WHERE id = @id", new { id });
        return row is null ? null : new PersonalTokenRecord(row.Id, row.UserId, row.Name, default) { Revoked = row.Revoked };
    }

    public async Task<bool> RevokePersonalAccessTokenAsync(long id, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.ExecuteAsync("UPDATE personal_access_tokens SET revoked = TRUE WHERE id = @id AND revoked = FALSE", new { id }) == 1;
    }

    public async Task<string?> AnySealedValueAsync(CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.QueryFirstOrDefaultAsync<string>("SELECT value FROM project_variables WHERE masked = TRUE AND value LIKE 'relais:enc:%' LIMIT 1");
    }

    public async Task AddAuditEventAsync(AuditEventRecord e, DateTimeOffset now, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(e);
        await using var c = await db.OpenAsync(cancel);
        await c.ExecuteAsync(
            """
            INSERT INTO audit_events (author_id, author_name, action, entity_type, entity_id, entity_path, details, ip_address, created_at)
            VALUES (@AuthorId, @AuthorName, @Action, @EntityType, @EntityId, @EntityPath, @Details, @IpAddress, @now)
            """,
            new { e.AuthorId, e.AuthorName, e.Action, e.EntityType, e.EntityId, e.EntityPath, e.Details, e.IpAddress, now });
    }

    public async Task<Page<AuditEventRecord>> ListAuditEventsAsync(string? entityType, int offset, int limit, CancellationToken cancel = default)
    {
        var where = entityType is null ? "" : "WHERE entity_type = @entityType";
        await using var c = await db.OpenAsync(cancel);
        var total = await c.ExecuteScalarAsync<int>($"SELECT COUNT(*) FROM audit_events {where}", new { entityType });
        var rows = await c.QueryAsync<AuditEventRecord>(
            $"""
            SELECT id, author_id, author_name, action, entity_type, entity_id, entity_path, details, ip_address, created_at
            FROM audit_events {where} ORDER BY id DESC LIMIT @limit OFFSET @offset
            """,
            new { entityType, offset, limit });
        return new Page<AuditEventRecord>([.. rows], total);
    }

    private sealed class TokenRow
    {
        public long Id { get; set; }

        public long UserId { get; set; }

        public string Name { get; set; } = "";

        public bool Revoked { get; set; }
    }
}

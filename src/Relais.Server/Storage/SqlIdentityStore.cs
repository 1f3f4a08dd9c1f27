using Dapper;

namespace Relais.Server.Storage;

/// <summary>The <see cref="IIdentityStore"/> over SQLite or PostgreSQL: users, personal access tokens, passwords and web sessions.</summary>
internal sealed class SqlIdentityStore(IDatabase db) : IIdentityStore
{
    public async Task<bool> EnsureRootAsync(string tokenHash, DateTimeOffset now, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        await using var tx = await c.BeginTransactionAsync(cancel);
        if (await c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM users", transaction: tx, cancellationToken: cancel)) > 0)
        {
            return false;
        }

        // Two coordinators starting at once on one PostgreSQL both see no user: the unique name lets one win.
        var userId = await c.ExecuteScalarAsync<long?>(new CommandDefinition(
            "INSERT INTO users (username, is_admin, created_at) VALUES ('root', TRUE, @now) ON CONFLICT (username) DO NOTHING RETURNING id",
            new { now },
            tx,
            cancellationToken: cancel));
        if (userId is null)
        {
            return false;
        }

        await c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO personal_access_tokens (user_id, name, token_hash, created_at) VALUES (@userId, 'initial root token', @tokenHash, @now)",
            new { userId, tokenHash, now },
            tx,
            cancellationToken: cancel));
        await tx.CommitAsync(cancel);
        return true;
    }

    public async Task<UserRecord?> FindUserByTokenAsync(string tokenHash, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.QuerySingleOrDefaultAsync<UserRecord>(new CommandDefinition(
            """
            SELECT u.id, u.username, u.is_admin FROM users u JOIN personal_access_tokens t ON t.user_id = u.id
            WHERE t.token_hash = @tokenHash AND t.revoked = FALSE
            """,
            new { tokenHash },
            cancellationToken: cancel));
    }

    public async Task<UserRecord?> AddUserAsync(string username, bool isAdmin, DateTimeOffset now, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        var id = await c.ExecuteScalarAsync<long?>(new CommandDefinition(
            "INSERT INTO users (username, is_admin, created_at) VALUES (@username, @isAdmin, @now) ON CONFLICT (username) DO NOTHING RETURNING id",
            new { username, isAdmin, now },
            cancellationToken: cancel));
        return id is null ? null : new UserRecord { Id = id.Value, Username = username, IsAdmin = isAdmin };
    }

    public async Task<UserRecord?> GetUserAsync(long id, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.QuerySingleOrDefaultAsync<UserRecord>(new CommandDefinition("SELECT id, username, is_admin FROM users WHERE id = @id", new { id }, cancellationToken: cancel));
    }

    public async Task<PersonalTokenRecord> AddPersonalAccessTokenAsync(long userId, string name, string tokenHash, DateTimeOffset now, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        var id = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            "INSERT INTO personal_access_tokens (user_id, name, token_hash, created_at) VALUES (@userId, @name, @tokenHash, @now) RETURNING id",
            new { userId, name, tokenHash, now },
            cancellationToken: cancel));
        return new PersonalTokenRecord(id, userId, name, now);
    }

    public async Task<PersonalTokenRecord?> GetPersonalAccessTokenAsync(long id, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        var row = await c.QuerySingleOrDefaultAsync<TokenRow>(new CommandDefinition("SELECT id, user_id, name, revoked FROM personal_access_tokens WHERE id = @id", new { id }, cancellationToken: cancel));
        return row is null ? null : new PersonalTokenRecord(row.Id, row.UserId, row.Name, default) { Revoked = row.Revoked };
    }

    public async Task<bool> RevokePersonalAccessTokenAsync(long id, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.ExecuteAsync(new CommandDefinition("UPDATE personal_access_tokens SET revoked = TRUE WHERE id = @id AND revoked = FALSE", new { id }, cancellationToken: cancel)) == 1;
    }

    public async Task<bool> SetPasswordIfUnsetAsync(string username, string passwordHash, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET password_hash = @passwordHash WHERE username = @username AND password_hash IS NULL",
            new { username, passwordHash },
            cancellationToken: cancel)) == 1;
    }

    public async Task<SignInRecord?> FindSignInAsync(string username, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.QuerySingleOrDefaultAsync<SignInRecord>(new CommandDefinition(
            "SELECT id, username, is_admin, password_hash FROM users WHERE username = @username", new { username },
            cancellationToken: cancel));
    }

    public async Task CreateSessionAsync(string tokenHash, long userId, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        await c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO web_sessions (token_hash, user_id, created_at, expires_at) VALUES (@tokenHash, @userId, @now, @expiresAt)",
            new { tokenHash, userId, now, expiresAt },
            cancellationToken: cancel));
    }

    public async Task<UserRecord?> FindUserBySessionAsync(string tokenHash, DateTimeOffset now, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.QuerySingleOrDefaultAsync<UserRecord>(new CommandDefinition(
            """
            SELECT u.id, u.username, u.is_admin FROM users u JOIN web_sessions s ON s.user_id = u.id
            WHERE s.token_hash = @tokenHash AND s.expires_at > @now
            """,
            new { tokenHash, now },
            cancellationToken: cancel));
    }

    public async Task DeleteSessionAsync(string tokenHash, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        await c.ExecuteAsync(new CommandDefinition("DELETE FROM web_sessions WHERE token_hash = @tokenHash", new { tokenHash }, cancellationToken: cancel));
    }

    private sealed class TokenRow
    {
        public long Id { get; set; }

        public long UserId { get; set; }

        public string Name { get; set; } = "";

        public bool Revoked { get; set; }
    }
}

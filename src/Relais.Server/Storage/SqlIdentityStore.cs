using Dapper;

namespace Relais.Server.Storage;

/// <summary>The <see cref="IIdentityStore"/> over SQLite or PostgreSQL: users, personal access tokens, passwords and web sessions.</summary>
internal sealed partial class SqlIdentityStore(IDatabase db) : IIdentityStore
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

    public async Task<TokenOwnerRecord?> FindTokenAsync(string tokenHash, DateTimeOffset now, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        var token = await c.QuerySingleOrDefaultAsync<TokenOwnerRecord>(new CommandDefinition(
            $"""
            SELECT t.id AS token_id, u.id, u.username, u.is_admin, t.scopes, t.name, t.created_at, t.expires_at, t.last_used_at FROM users u JOIN personal_access_tokens t ON t.user_id = u.id
            WHERE t.token_hash = @tokenHash AND {LiveToken} AND u.blocked = FALSE
            """,
            new { tokenHash, today = TokenGrant.Today(now) },
            cancellationToken: cancel));
        if (token is not null && !(DateTimeOffset.TryParse(token.LastUsedAt, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var used) && now - used < TokenUseInterval))
        {
            await c.ExecuteAsync(new CommandDefinition("UPDATE personal_access_tokens SET last_used_at = @now WHERE id = @id", new { now, id = token.TokenId }, cancellationToken: cancel));
        }

        return token;
    }

    /// <summary>How stale a token's last use may get before a request that uses it writes it again (GitLab's ten minutes).</summary>
    internal static readonly TimeSpan TokenUseInterval = TimeSpan.FromMinutes(10);

    public async Task<UserRecord?> AddUserAsync(string username, bool isAdmin, DateTimeOffset now, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        var id = await c.ExecuteScalarAsync<long?>(new CommandDefinition(
            """
            INSERT INTO users (username, is_admin, created_at) SELECT @username, @isAdmin, @now
            WHERE NOT EXISTS (SELECT 1 FROM groups WHERE lower(full_path) = lower(@username))
            ON CONFLICT (username) DO NOTHING RETURNING id
            """,
            new { username, isAdmin, now },
            cancellationToken: cancel));
        return id is null ? null : new UserRecord { Id = id.Value, Username = username, IsAdmin = isAdmin };
    }

    public async Task<UserRecord?> GetUserAsync(long id, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.QuerySingleOrDefaultAsync<UserRecord>(new CommandDefinition("SELECT id, username, is_admin FROM users WHERE id = @id", new { id }, cancellationToken: cancel));
    }

    public async Task<PersonalTokenRecord> AddPersonalAccessTokenAsync(long userId, string name, string tokenHash, DateTimeOffset now, CancellationToken cancel = default) =>
        await AddPersonalAccessTokenAsync(userId, name, tokenHash, now, TokenGrant.Full, cancel);

    public async Task<PersonalTokenRecord> AddPersonalAccessTokenAsync(long userId, string name, string tokenHash, DateTimeOffset now, TokenGrant grant, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(grant);
        await using var c = await db.OpenAsync(cancel);
        var id = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            "INSERT INTO personal_access_tokens (user_id, name, token_hash, created_at, scopes, expires_at) VALUES (@userId, @name, @tokenHash, @now, @scopes, @expiresAt) RETURNING id",
            new { userId, name, tokenHash, now, scopes = string.Join(',', grant.Scopes), expiresAt = grant.StoredExpiry },
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
        await using var tx = await c.BeginTransactionAsync(cancel);
        var revoked = await c.ExecuteAsync(new CommandDefinition("UPDATE personal_access_tokens SET revoked = TRUE WHERE id = @id AND revoked = FALSE", new { id }, tx, cancellationToken: cancel)) == 1;
        await c.ExecuteAsync(new CommandDefinition("DELETE FROM web_sessions WHERE personal_access_token_id = @id", new { id }, tx, cancellationToken: cancel));
        await tx.CommitAsync(cancel);
        return revoked;
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
            "SELECT id, username, is_admin, password_hash FROM users WHERE username = @username AND blocked = FALSE", new { username },
            cancellationToken: cancel));
    }

    public async Task<bool> ChangePasswordAsync(long userId, string passwordHash, long? keepSessionId, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        await using var tx = await c.BeginTransactionAsync(cancel);
        var changed = await c.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET password_hash = @passwordHash WHERE id = @userId", new { userId, passwordHash }, tx, cancellationToken: cancel)) == 1;
        await c.ExecuteAsync(new CommandDefinition(
            "DELETE FROM web_sessions WHERE user_id = @userId AND id <> @keep", new { userId, keep = keepSessionId ?? 0 }, tx, cancellationToken: cancel));
        await tx.CommitAsync(cancel);
        return changed;
    }

    public async Task<long> CreateSessionAsync(NewWebSession session, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        await using var c = await db.OpenAsync(cancel);
        return await c.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO web_sessions (token_hash, user_id, personal_access_token_id, created_at, expires_at, last_used_at, ip_address, user_agent)
            VALUES (@TokenHash, @UserId, @PersonalAccessTokenId, @CreatedAt, @ExpiresAt, @CreatedAt, @IpAddress, @UserAgent) RETURNING id
            """,
            session,
            cancellationToken: cancel));
    }

    public async Task<SessionUserRecord?> FindSessionAsync(string tokenHash, DateTimeOffset now, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.QuerySingleOrDefaultAsync<SessionUserRecord>(new CommandDefinition(
            $"""
            SELECT s.id AS session_id, u.id, u.username, u.is_admin, s.last_used_at FROM users u JOIN web_sessions s ON s.user_id = u.id
            WHERE s.token_hash = @tokenHash AND s.expires_at > @now AND u.blocked = FALSE
              AND (s.personal_access_token_id IS NULL OR EXISTS (
                SELECT 1 FROM personal_access_tokens t WHERE t.id = s.personal_access_token_id AND {LiveToken}))
            """,
            new { tokenHash, now, today = TokenGrant.Today(now) },
            cancellationToken: cancel));
    }

    public async Task TouchSessionAsync(long sessionId, DateTimeOffset now, string? ipAddress, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE web_sessions SET last_used_at = @now, ip_address = COALESCE(@ipAddress, ip_address) WHERE id = @sessionId",
            new { sessionId, now, ipAddress },
            cancellationToken: cancel));
    }

    public async Task<IReadOnlyList<WebSessionRecord>> ListSessionsAsync(long userId, DateTimeOffset now, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        var rows = await c.QueryAsync<WebSessionRecord>(new CommandDefinition(
            $"""
            SELECT s.id, s.user_id, s.personal_access_token_id, s.created_at, s.last_used_at, s.expires_at, s.ip_address, s.user_agent
            FROM web_sessions s
            WHERE s.user_id = @userId AND s.expires_at > @now
              AND (s.personal_access_token_id IS NULL OR EXISTS (
                SELECT 1 FROM personal_access_tokens t WHERE t.id = s.personal_access_token_id AND {LiveToken}))
            ORDER BY s.id DESC
            """,
            new { userId, now, today = TokenGrant.Today(now) },
            cancellationToken: cancel));
        return rows.ToList();
    }

    public async Task<bool> DeleteSessionAsync(long userId, long sessionId, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.ExecuteAsync(new CommandDefinition(
            "DELETE FROM web_sessions WHERE id = @sessionId AND user_id = @userId", new { userId, sessionId }, cancellationToken: cancel)) == 1;
    }

    public async Task DeleteSessionAsync(string tokenHash, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        await c.ExecuteAsync(new CommandDefinition("DELETE FROM web_sessions WHERE token_hash = @tokenHash", new { tokenHash }, cancellationToken: cancel));
    }

    /// <summary>The condition on <c>t</c> (a token row) that it still authenticates: not revoked, not expired (<c>@today</c>: <see cref="TokenGrant.Today"/>).</summary>
    private const string LiveToken = "t.revoked = FALSE AND (t.expires_at IS NULL OR t.expires_at > @today)";

    private sealed class TokenRow
    {
        public long Id { get; set; }

        public long UserId { get; set; }

        public string Name { get; set; } = "";

        public bool Revoked { get; set; }
    }
}

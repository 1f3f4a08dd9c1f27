using Dapper;

namespace Relais.Server.Storage;

/// <summary>The users API's part of <see cref="SqlIdentityStore"/>: list, change, block and delete users; list and rotate tokens.</summary>
internal sealed partial class SqlIdentityStore
{
    private const string AccountColumns = "id, username, name, email, is_admin, blocked, created_at";

    private const string TokenColumns = "id, user_id, name, revoked, created_at, scopes, expires_at, last_used_at";

    public async Task<IReadOnlyList<UserAccountRecord>> ListUsersAsync(UserFilter filter, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var c = await db.OpenAsync(cancel);
        var rows = await c.QueryAsync<UserAccountRecord>(new CommandDefinition(
            $"""
            SELECT {AccountColumns} FROM users
            WHERE (@username IS NULL OR LOWER(username) = LOWER(@username))
              AND (@blocked IS NULL OR blocked = @blocked)
            ORDER BY id DESC
            """,
            new { username = filter.Username, blocked = filter.Blocked },
            cancellationToken: cancel));
        return filter.Search is { Length: > 0 } search ? rows.Where(u => Matches(u, search)).ToList() : rows.ToList();
    }

    /// <summary>GitLab's <c>search</c>: a case-insensitive part of the username, name or email (done here: SQLite and PostgreSQL spell it differently).</summary>
    private static bool Matches(UserAccountRecord u, string search) =>
        u.Username.Contains(search, StringComparison.OrdinalIgnoreCase)
        || (u.Name?.Contains(search, StringComparison.OrdinalIgnoreCase) ?? false)
        || (u.Email?.Contains(search, StringComparison.OrdinalIgnoreCase) ?? false);

    public async Task<UserAccountRecord?> GetUserAccountAsync(long id, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.QuerySingleOrDefaultAsync<UserAccountRecord>(new CommandDefinition(
            $"SELECT {AccountColumns} FROM users WHERE id = @id", new { id }, cancellationToken: cancel));
    }

    public async Task<bool> UpdateUserAsync(long id, UserChanges changes, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        await using var c = await db.OpenAsync(cancel);
        return await c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE users SET name = COALESCE(@Name, name), email = COALESCE(@Email, email), is_admin = COALESCE(@IsAdmin, is_admin)
            WHERE id = @id
            """,
            new { id, changes.Name, changes.Email, changes.IsAdmin },
            cancellationToken: cancel)) == 1;
    }

    public async Task<bool> SetBlockedAsync(long id, bool blocked, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        await using var tx = await c.BeginTransactionAsync(cancel);
        var changed = await c.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET blocked = @blocked WHERE id = @id AND blocked <> @blocked", new { id, blocked }, tx, cancellationToken: cancel)) == 1;
        if (blocked)
        {
            await c.ExecuteAsync(new CommandDefinition("DELETE FROM web_sessions WHERE user_id = @id", new { id }, tx, cancellationToken: cancel));
        }

        await tx.CommitAsync(cancel);
        return changed;
    }

    public async Task<UserDeletion> DeleteUserAsync(long id, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        await using var tx = await c.BeginTransactionAsync(cancel);
        var username = await c.ExecuteScalarAsync<string?>(new CommandDefinition("SELECT username FROM users WHERE id = @id", new { id }, tx, cancellationToken: cancel));
        if (username is null)
        {
            return UserDeletion.NotFound;
        }

        var prefix = username + "/";
        if (await c.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM projects WHERE SUBSTR(path, 1, LENGTH(@prefix)) = @prefix", new { prefix }, tx, cancellationToken: cancel)) > 0)
        {
            return UserDeletion.OwnsProjects;
        }

        await c.ExecuteAsync(new CommandDefinition("DELETE FROM web_sessions WHERE user_id = @id", new { id }, tx, cancellationToken: cancel));
        await c.ExecuteAsync(new CommandDefinition("DELETE FROM personal_access_tokens WHERE user_id = @id", new { id }, tx, cancellationToken: cancel));

        // Their SSH keys go with them; deploy keys they added stay on their projects, without an author.
        await c.ExecuteAsync(new CommandDefinition("DELETE FROM ssh_keys WHERE user_id = @id AND kind = 'user'", new { id }, tx, cancellationToken: cancel));
        await c.ExecuteAsync(new CommandDefinition("UPDATE ssh_keys SET user_id = NULL WHERE user_id = @id", new { id }, tx, cancellationToken: cancel));
        await c.ExecuteAsync(new CommandDefinition("DELETE FROM members WHERE user_id = @id", new { id }, tx, cancellationToken: cancel));
        await c.ExecuteAsync(new CommandDefinition("DELETE FROM users WHERE id = @id", new { id }, tx, cancellationToken: cancel));
        await tx.CommitAsync(cancel);
        return UserDeletion.Deleted;
    }

    public async Task<IReadOnlyList<TokenDetailRecord>> ListPersonalAccessTokensAsync(long? userId, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        var rows = await c.QueryAsync<TokenDetailRecord>(new CommandDefinition(
            $"SELECT {TokenColumns} FROM personal_access_tokens WHERE @userId IS NULL OR user_id = @userId ORDER BY id",
            new { userId },
            cancellationToken: cancel));
        return rows.ToList();
    }

    public async Task<TokenDetailRecord?> GetPersonalAccessTokenDetailAsync(long id, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.QuerySingleOrDefaultAsync<TokenDetailRecord>(new CommandDefinition(
            $"SELECT {TokenColumns} FROM personal_access_tokens WHERE id = @id", new { id }, cancellationToken: cancel));
    }

    public async Task<PersonalTokenRecord?> RotatePersonalAccessTokenAsync(long id, string tokenHash, DateTimeOffset now, DateOnly expiresAt, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        await using var tx = await c.BeginTransactionAsync(cancel);
        var old = await c.QuerySingleOrDefaultAsync<TokenDetailRecord>(new CommandDefinition(
            $"SELECT {TokenColumns} FROM personal_access_tokens t WHERE id = @id AND {LiveToken}",
            new { id, today = TokenGrant.Today(now) },
            tx,
            cancellationToken: cancel));
        if (old is null)
        {
            return null;
        }

        await c.ExecuteAsync(new CommandDefinition("UPDATE personal_access_tokens SET revoked = TRUE WHERE id = @id", new { id }, tx, cancellationToken: cancel));
        await c.ExecuteAsync(new CommandDefinition("DELETE FROM web_sessions WHERE personal_access_token_id = @id", new { id }, tx, cancellationToken: cancel));
        var expiry = new TokenGrant(old.ScopeList, expiresAt).StoredExpiry;
        var newId = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            "INSERT INTO personal_access_tokens (user_id, name, token_hash, created_at, scopes, expires_at) VALUES (@UserId, @Name, @tokenHash, @now, @Scopes, @expiry) RETURNING id",
            new { old.UserId, old.Name, tokenHash, now, old.Scopes, expiry },
            tx,
            cancellationToken: cancel));
        await tx.CommitAsync(cancel);
        return new PersonalTokenRecord(newId, old.UserId, old.Name, now);
    }
}

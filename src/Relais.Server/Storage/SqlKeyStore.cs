using System.Globalization;
using Dapper;

namespace Relais.Server.Storage;

/// <summary>The <see cref="IKeyStore"/> over SQLite or PostgreSQL (tables <c>ssh_keys</c> and <c>deploy_keys_projects</c>).</summary>
internal sealed class SqlKeyStore(IDatabase db) : IKeyStore
{
    private const string Columns = "id, kind, user_id, title, key, fingerprint_sha256, fingerprint_md5, usage_type, created_at, expires_at";

    /// <summary>A time as <c>ssh_keys.expires_at</c> stores it, so that text order is time order.</summary>
    public static string StoredTime(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public async Task<SshKeyRecord?> AddKeyAsync(SshKeyRecord key, DateTimeOffset now, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        await using var c = await db.OpenAsync(cancel);
        var id = await c.ExecuteScalarAsync<long?>(new CommandDefinition(
            """
            INSERT INTO ssh_keys (kind, user_id, title, key, fingerprint_sha256, fingerprint_md5, usage_type, created_at, expires_at)
            VALUES (@Kind, @UserId, @Title, @Key, @FingerprintSha256, @FingerprintMd5, @UsageType, @now, @ExpiresAt)
            ON CONFLICT (fingerprint_sha256) DO NOTHING RETURNING id
            """,
            new { key.Kind, key.UserId, key.Title, key.Key, key.FingerprintSha256, key.FingerprintMd5, key.UsageType, now, key.ExpiresAt },
            cancellationToken: cancel));
        return id is null ? null : await GetKeyAsync(id.Value, cancel);
    }

    public async Task<SshKeyRecord?> GetKeyAsync(long id, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.QuerySingleOrDefaultAsync<SshKeyRecord>(new CommandDefinition($"SELECT {Columns} FROM ssh_keys WHERE id = @id", new { id }, cancellationToken: cancel));
    }

    public async Task<SshKeyRecord?> FindKeyByFingerprintAsync(string fingerprintSha256, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.QuerySingleOrDefaultAsync<SshKeyRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM ssh_keys WHERE fingerprint_sha256 = @fingerprintSha256", new { fingerprintSha256 }, cancellationToken: cancel));
    }

    public async Task<IReadOnlyList<SshKeyRecord>> ListUserKeysAsync(long userId, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return [.. await c.QueryAsync<SshKeyRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM ssh_keys WHERE kind = 'user' AND user_id = @userId ORDER BY id", new { userId }, cancellationToken: cancel))];
    }

    public async Task<bool> DeleteUserKeyAsync(long userId, long id, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.ExecuteAsync(new CommandDefinition(
            "DELETE FROM ssh_keys WHERE id = @id AND kind = 'user' AND user_id = @userId", new { id, userId }, cancellationToken: cancel)) == 1;
    }

    public async Task<IReadOnlyList<SshKeyRecord>> ListDeployKeysAsync(CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return [.. await c.QueryAsync<SshKeyRecord>(new CommandDefinition($"SELECT {Columns} FROM ssh_keys WHERE kind = 'deploy' ORDER BY id", cancellationToken: cancel))];
    }

    public async Task<IReadOnlyList<DeployKeyProjectRecord>> ListDeployKeyProjectsAsync(long? deployKeyId, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return [.. await c.QueryAsync<DeployKeyProjectRecord>(new CommandDefinition(
            "SELECT project_id, deploy_key_id, can_push, created_at FROM deploy_keys_projects WHERE @deployKeyId IS NULL OR deploy_key_id = @deployKeyId ORDER BY project_id",
            new { deployKeyId },
            cancellationToken: cancel))];
    }

    public async Task<IReadOnlyList<(SshKeyRecord Key, bool CanPush)>> ListProjectDeployKeysAsync(long projectId, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        var keys = await c.QueryAsync<SshKeyRecord>(new CommandDefinition(
            """
            SELECT k.id, k.kind, k.user_id, k.title, k.key, k.fingerprint_sha256, k.fingerprint_md5, k.usage_type, k.created_at, k.expires_at
            FROM deploy_keys_projects p JOIN ssh_keys k ON k.id = p.deploy_key_id
            WHERE p.project_id = @projectId ORDER BY k.id
            """,
            new { projectId },
            cancellationToken: cancel));
        var pushes = (await c.QueryAsync<DeployKeyProjectRecord>(new CommandDefinition(
            "SELECT project_id, deploy_key_id, can_push, created_at FROM deploy_keys_projects WHERE project_id = @projectId", new { projectId }, cancellationToken: cancel)))
            .ToDictionary(l => l.DeployKeyId, l => l.CanPush);
        return [.. keys.Select(k => (k, pushes.GetValueOrDefault(k.Id)))];
    }

    public async Task<bool> EnableDeployKeyAsync(long projectId, long deployKeyId, bool canPush, DateTimeOffset now, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO deploy_keys_projects (project_id, deploy_key_id, can_push, created_at) VALUES (@projectId, @deployKeyId, @canPush, @now)
            ON CONFLICT (project_id, deploy_key_id) DO NOTHING
            """,
            new { projectId, deployKeyId, canPush, now },
            cancellationToken: cancel)) == 1;
    }

    public async Task<bool> UpdateProjectDeployKeyAsync(long projectId, long deployKeyId, string? title, bool? canPush, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        await using var tx = await c.BeginTransactionAsync(cancel);
        var changed = await c.ExecuteAsync(new CommandDefinition(
            "UPDATE deploy_keys_projects SET can_push = COALESCE(@canPush, can_push) WHERE project_id = @projectId AND deploy_key_id = @deployKeyId",
            new { projectId, deployKeyId, canPush },
            tx,
            cancellationToken: cancel)) == 1;
        if (changed && title is not null)
        {
            await c.ExecuteAsync(new CommandDefinition("UPDATE ssh_keys SET title = @title WHERE id = @deployKeyId", new { title, deployKeyId }, tx, cancellationToken: cancel));
        }

        await tx.CommitAsync(cancel);
        return changed;
    }

    public async Task<bool> RemoveDeployKeyAsync(long projectId, long deployKeyId, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        await using var tx = await c.BeginTransactionAsync(cancel);
        var removed = await c.ExecuteAsync(new CommandDefinition(
            "DELETE FROM deploy_keys_projects WHERE project_id = @projectId AND deploy_key_id = @deployKeyId", new { projectId, deployKeyId }, tx, cancellationToken: cancel)) == 1;
        if (removed)
        {
            await c.ExecuteAsync(new CommandDefinition(
                """
                DELETE FROM ssh_keys WHERE id = @deployKeyId AND kind = 'deploy'
                AND NOT EXISTS (SELECT 1 FROM deploy_keys_projects WHERE deploy_key_id = @deployKeyId)
                """,
                new { deployKeyId },
                tx,
                cancellationToken: cancel));
        }

        await tx.CommitAsync(cancel);
        return removed;
    }

    public async Task<SshKeyOwner?> FindKeyOwnerAsync(string fingerprintSha256, DateTimeOffset now, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.QuerySingleOrDefaultAsync<SshKeyOwner>(new CommandDefinition(
            """
            SELECT k.id AS key_id, k.kind, CASE WHEN k.kind = 'user' THEN k.user_id END AS user_id, CASE WHEN k.kind = 'user' THEN u.username END AS username
            FROM ssh_keys k LEFT JOIN users u ON u.id = k.user_id
            WHERE k.fingerprint_sha256 = @fingerprintSha256
              AND (k.kind = 'deploy' OR (u.blocked = FALSE AND k.usage_type IN ('auth', 'auth_and_signing') AND (k.expires_at IS NULL OR k.expires_at > @nowText)))
            """,
            new { fingerprintSha256, nowText = StoredTime(now) },
            cancellationToken: cancel));
    }
}

using Dapper;

namespace Relais.Server.Storage;

/// <summary>Users, personal access tokens, runners and projects.</summary>
internal sealed partial class SqlStore
{
    public async Task<bool> EnsureRootAsync(string tokenHash, DateTimeOffset now, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        await using var tx = await c.BeginTransactionAsync(cancel);
        if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM users", transaction: tx) > 0)
        {
            return false;
        }

        // Two coordinators starting at once on one PostgreSQL both see no user: the unique name lets one win.
        var userId = await c.ExecuteScalarAsync<long?>(
            "INSERT INTO users (username, is_admin, created_at) VALUES ('root', TRUE, @now) ON CONFLICT (username) DO NOTHING RETURNING id",
            new { now },
            tx);
        if (userId is null)
        {
            return false;
        }

        await c.ExecuteAsync(
            "INSERT INTO personal_access_tokens (user_id, name, token_hash, created_at) VALUES (@userId, 'initial root token', @tokenHash, @now)",
            new { userId, tokenHash, now },
            tx);
        await tx.CommitAsync(cancel);
        return true;
    }

    public async Task<UserRecord?> FindUserByTokenAsync(string tokenHash, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.QuerySingleOrDefaultAsync<UserRecord>(
            """
            SELECT u.id, u.username, u.is_admin FROM users u JOIN personal_access_tokens t ON t.user_id = u.id
            WHERE t.token_hash = @tokenHash AND t.revoked = FALSE
            """,
            new { tokenHash });
    }

    public async Task<RunnerRecord> CreateRunnerAsync(string tokenHash, string description, string tags, bool runUntagged, DateTimeOffset now, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        var id = await c.ExecuteScalarAsync<long>(
            """
            INSERT INTO runners (token_hash, description, tags, run_untagged, locked, created_at)
            VALUES (@tokenHash, @description, @tags, @runUntagged, FALSE, @now) RETURNING id
            """,
            new { tokenHash, description, tags, runUntagged, now });
        return new RunnerRecord { Id = id, Description = description, Tags = tags, RunUntagged = runUntagged };
    }

    public async Task<RunnerRecord?> FindRunnerAsync(string tokenHash, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.QuerySingleOrDefaultAsync<RunnerRecord>(
            "SELECT id, description, tags, run_untagged, paused FROM runners WHERE token_hash = @tokenHash", new { tokenHash });
    }

    public async Task<bool> DeleteRunnerAsync(string tokenHash, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.ExecuteAsync("DELETE FROM runners WHERE token_hash = @tokenHash", new { tokenHash }) == 1;
    }

    public async Task<ProjectRecord> EnsureProjectAsync(string path, string defaultBranch, DateTimeOffset now, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        var created = await c.ExecuteScalarAsync<long?>(
            """
            INSERT INTO projects (path, default_branch, visibility, created_at) VALUES (@path, @defaultBranch, 'private', @now)
            ON CONFLICT (path) DO NOTHING RETURNING id
            """,
            new { path, defaultBranch, now });
        if (created is { } id)
        {
            await ProtectDefaultBranchAsync(c, id, defaultBranch, now);
        }

        return await c.QuerySingleAsync<ProjectRecord>("SELECT id, path, default_branch, visibility, created_at FROM projects WHERE path = @path", new { path });
    }

    public async Task<ProjectRecord?> GetProjectAsync(long id, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.QuerySingleOrDefaultAsync<ProjectRecord>("SELECT id, path, default_branch, visibility, created_at FROM projects WHERE id = @id", new { id });
    }
}

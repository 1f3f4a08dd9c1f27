using Dapper;

namespace Relais.Server.Storage;

/// <summary>The <see cref="IProjectStore"/> over SQLite or PostgreSQL: projects, their stored CI configuration and protected branches.</summary>
internal sealed partial class SqlProjectStore(IDatabase db) : IProjectStore
{
    private const string ProjectColumns = "id, path, default_branch, visibility, created_at, trusted, shared_runners_enabled";

    public async Task<IReadOnlyList<ProjectRecord>> ListProjectsAsync(CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return [.. await c.QueryAsync<ProjectRecord>(new CommandDefinition($"SELECT {ProjectColumns} FROM projects ORDER BY id DESC", cancellationToken: cancel))];
    }

    public async Task<ProjectRecord?> FindProjectAsync(string path, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.QuerySingleOrDefaultAsync<ProjectRecord>(new CommandDefinition($"SELECT {ProjectColumns} FROM projects WHERE path = @path", new { path }, cancellationToken: cancel));
    }

    public async Task<ProjectRecord?> GetProjectAsync(long id, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.QuerySingleOrDefaultAsync<ProjectRecord>(new CommandDefinition($"SELECT {ProjectColumns} FROM projects WHERE id = @id", new { id }, cancellationToken: cancel));
    }

    public async Task<ProjectRecord> EnsureProjectAsync(string path, string defaultBranch, DateTimeOffset now, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        var created = await c.ExecuteScalarAsync<long?>(new CommandDefinition(
            """
            INSERT INTO projects (path, default_branch, visibility, created_at) VALUES (@path, @defaultBranch, 'private', @now)
            ON CONFLICT (path) DO NOTHING RETURNING id
            """,
            new { path, defaultBranch, now },
            cancellationToken: cancel));
        if (created is { } id)
        {
            await ProtectDefaultBranchAsync(c, id, defaultBranch, now);
        }

        return await c.QuerySingleAsync<ProjectRecord>(new CommandDefinition($"SELECT {ProjectColumns} FROM projects WHERE path = @path", new { path }, cancellationToken: cancel));
    }

    public async Task<ProjectRecord?> CreateProjectAsync(string path, string defaultBranch, string visibility, DateTimeOffset now, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        var id = await c.ExecuteScalarAsync<long?>(new CommandDefinition(
            """
            INSERT INTO projects (path, default_branch, visibility, created_at) SELECT @path, @defaultBranch, @visibility, @now
            WHERE NOT EXISTS (SELECT 1 FROM groups WHERE lower(full_path) = lower(@path))
            ON CONFLICT (path) DO NOTHING RETURNING id
            """,
            new { path, defaultBranch, visibility, now },
            cancellationToken: cancel));
        if (id is null)
        {
            return null;
        }

        await ProtectDefaultBranchAsync(c, id.Value, defaultBranch, now);
        return await c.QuerySingleAsync<ProjectRecord>(new CommandDefinition($"SELECT {ProjectColumns} FROM projects WHERE id = @id", new { id }, cancellationToken: cancel));
    }

    public async Task SetProjectVisibilityAsync(long projectId, string visibility, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        await c.ExecuteAsync(new CommandDefinition("UPDATE projects SET visibility = @visibility WHERE id = @projectId", new { projectId, visibility }, cancellationToken: cancel));
    }

    public async Task SetProjectTrustedAsync(long projectId, bool trusted, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        await c.ExecuteAsync(new CommandDefinition("UPDATE projects SET trusted = @trusted WHERE id = @projectId", new { projectId, trusted }, cancellationToken: cancel));
    }

    public async Task SetSharedRunnersEnabledAsync(long projectId, bool enabled, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        await c.ExecuteAsync(new CommandDefinition("UPDATE projects SET shared_runners_enabled = @enabled WHERE id = @projectId", new { projectId, enabled }, cancellationToken: cancel));
    }

    public async Task<string?> GetCiConfigAsync(long projectId, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.QuerySingleOrDefaultAsync<string>(new CommandDefinition("SELECT content FROM project_ci_configs WHERE project_id = @projectId", new { projectId }, cancellationToken: cancel));
    }

    /// <summary>Protects a new project's default branch, as GitLab does when a project is created.</summary>
    private static Task ProtectDefaultBranchAsync(System.Data.Common.DbConnection c, long projectId, string defaultBranch, DateTimeOffset now) =>
        c.ExecuteAsync(
            """
            INSERT INTO protected_branches (project_id, name, push_access_level, merge_access_level, allow_force_push, created_at)
            VALUES (@projectId, @defaultBranch, 40, 40, @no, @now) ON CONFLICT (project_id, name) DO NOTHING
            """,
            new { projectId, defaultBranch, no = false, now });
}

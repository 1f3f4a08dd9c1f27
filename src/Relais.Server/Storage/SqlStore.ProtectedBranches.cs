using Dapper;

namespace Relais.Server.Storage;

/// <summary>Protected branches: which branch names (or wildcard patterns) of a project are protected.</summary>
internal sealed partial class SqlStore
{
    private const string ProtectedBranchColumns = "id, project_id, name, push_access_level, merge_access_level, allow_force_push";

    public async Task<IReadOnlyList<ProtectedBranchRecord>> ListProtectedBranchesAsync(long projectId, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return [.. await c.QueryAsync<ProtectedBranchRecord>(
            $"SELECT {ProtectedBranchColumns} FROM protected_branches WHERE project_id = @projectId ORDER BY name", new { projectId })];
    }

    public async Task<ProtectedBranchRecord?> ProtectBranchAsync(ProtectedBranchRecord branch, DateTimeOffset now, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(branch);
        await using var c = await db.OpenAsync(cancel);
        var id = await c.ExecuteScalarAsync<long?>(
            """
            INSERT INTO protected_branches (project_id, name, push_access_level, merge_access_level, allow_force_push, created_at)
            VALUES (@ProjectId, @Name, @PushAccessLevel, @MergeAccessLevel, @AllowForcePush, @now)
            ON CONFLICT (project_id, name) DO NOTHING RETURNING id
            """,
            new { branch.ProjectId, branch.Name, branch.PushAccessLevel, branch.MergeAccessLevel, branch.AllowForcePush, now });
        return id is null ? null : branch with { Id = id.Value };
    }

    public async Task<bool> UnprotectBranchAsync(long projectId, string name, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.ExecuteAsync("DELETE FROM protected_branches WHERE project_id = @projectId AND name = @name", new { projectId, name }) == 1;
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

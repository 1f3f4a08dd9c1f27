using System.Data.Common;
using Dapper;

namespace Relais.Server.Storage;

/// <summary>Protected branches and tags, each with its grants to single users or deploy keys (<c>protected_ref_grants</c>).</summary>
internal sealed partial class SqlProjectStore
{
    private const string ProtectedBranchColumns = "id, project_id, name, push_access_level, merge_access_level, unprotect_access_level, allow_force_push";

    private const string GrantColumns = "id, protected_branch_id AS RuleId, action, user_id, deploy_key_id";

    public async Task<IReadOnlyList<ProtectedBranchRecord>> ListProtectedBranchesAsync(long projectId, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        var branches = await c.QueryAsync<ProtectedBranchRecord>(new CommandDefinition(
            $"SELECT {ProtectedBranchColumns} FROM protected_branches WHERE project_id = @projectId ORDER BY name", new { projectId },
            cancellationToken: cancel));
        var grants = (await c.QueryAsync<GrantRow>(new CommandDefinition(
            $"""
            SELECT {GrantColumns} FROM protected_ref_grants
            WHERE protected_branch_id IN (SELECT id FROM protected_branches WHERE project_id = @projectId) ORDER BY id
            """,
            new { projectId },
            cancellationToken: cancel))).ToLookup(g => g.RuleId);
        return [.. branches.Select(b => b with { Grants = [.. grants[b.Id].Select(g => g.Grant)] })];
    }

    public async Task<ProtectedBranchRecord?> ProtectBranchAsync(ProtectedBranchRecord branch, DateTimeOffset now, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(branch);
        await using var c = await db.OpenAsync(cancel);
        await using var tx = await c.BeginTransactionAsync(cancel);
        var id = await c.ExecuteScalarAsync<long?>(new CommandDefinition(
            """
            INSERT INTO protected_branches (project_id, name, push_access_level, merge_access_level, unprotect_access_level, allow_force_push, created_at)
            VALUES (@ProjectId, @Name, @PushAccessLevel, @MergeAccessLevel, @UnprotectAccessLevel, @AllowForcePush, @now)
            ON CONFLICT (project_id, name) DO NOTHING RETURNING id
            """,
            new { branch.ProjectId, branch.Name, branch.PushAccessLevel, branch.MergeAccessLevel, branch.UnprotectAccessLevel, branch.AllowForcePush, now },
            tx,
            cancellationToken: cancel));
        if (id is null)
        {
            return null;
        }

        var grants = await InsertGrantsAsync(c, tx, "protected_branch_id", id.Value, branch.Grants, cancel);
        await tx.CommitAsync(cancel);
        return branch with { Id = id.Value, Grants = grants };
    }

    public async Task<bool> UpdateProtectedBranchAsync(ProtectedBranchRecord branch, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(branch);
        await using var c = await db.OpenAsync(cancel);
        await using var tx = await c.BeginTransactionAsync(cancel);
        var changed = await c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE protected_branches SET push_access_level = @PushAccessLevel, merge_access_level = @MergeAccessLevel,
                unprotect_access_level = @UnprotectAccessLevel, allow_force_push = @AllowForcePush
            WHERE id = @Id AND project_id = @ProjectId
            """,
            new { branch.Id, branch.ProjectId, branch.PushAccessLevel, branch.MergeAccessLevel, branch.UnprotectAccessLevel, branch.AllowForcePush },
            tx,
            cancellationToken: cancel)) == 1;
        if (changed)
        {
            // Grants kept keep their ids; those not in the list go, new ones (id 0) are added.
            var kept = branch.Grants.Where(g => g.Id != 0).Select(g => g.Id).ToHashSet();
            foreach (var gone in (await c.QueryAsync<long>(new CommandDefinition(
                "SELECT id FROM protected_ref_grants WHERE protected_branch_id = @Id", new { branch.Id }, tx, cancellationToken: cancel))).Where(id => !kept.Contains(id)))
            {
                await c.ExecuteAsync(new CommandDefinition("DELETE FROM protected_ref_grants WHERE id = @gone", new { gone }, tx, cancellationToken: cancel));
            }

            await InsertGrantsAsync(c, tx, "protected_branch_id", branch.Id, [.. branch.Grants.Where(g => g.Id == 0)], cancel);
        }

        await tx.CommitAsync(cancel);
        return changed;
    }

    public async Task<bool> UnprotectBranchAsync(long projectId, string name, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        await using var tx = await c.BeginTransactionAsync(cancel);
        await c.ExecuteAsync(new CommandDefinition(
            "DELETE FROM protected_ref_grants WHERE protected_branch_id IN (SELECT id FROM protected_branches WHERE project_id = @projectId AND name = @name)",
            new { projectId, name },
            tx,
            cancellationToken: cancel));
        var removed = await c.ExecuteAsync(new CommandDefinition(
            "DELETE FROM protected_branches WHERE project_id = @projectId AND name = @name", new { projectId, name }, tx, cancellationToken: cancel)) == 1;
        await tx.CommitAsync(cancel);
        return removed;
    }

    public async Task<IReadOnlyList<ProtectedTagRecord>> ListProtectedTagsAsync(long projectId, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        var tags = await c.QueryAsync<ProtectedTagRecord>(new CommandDefinition(
            "SELECT id, project_id, name, create_access_level FROM protected_tags WHERE project_id = @projectId ORDER BY name", new { projectId },
            cancellationToken: cancel));
        var grants = (await c.QueryAsync<GrantRow>(new CommandDefinition(
            """
            SELECT id, protected_tag_id AS RuleId, action, user_id, deploy_key_id FROM protected_ref_grants
            WHERE protected_tag_id IN (SELECT id FROM protected_tags WHERE project_id = @projectId) ORDER BY id
            """,
            new { projectId },
            cancellationToken: cancel))).ToLookup(g => g.RuleId);
        return [.. tags.Select(t => t with { Grants = [.. grants[t.Id].Select(g => g.Grant)] })];
    }

    public async Task<ProtectedTagRecord?> ProtectTagAsync(ProtectedTagRecord tag, DateTimeOffset now, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(tag);
        await using var c = await db.OpenAsync(cancel);
        await using var tx = await c.BeginTransactionAsync(cancel);
        var id = await c.ExecuteScalarAsync<long?>(new CommandDefinition(
            """
            INSERT INTO protected_tags (project_id, name, create_access_level, created_at) VALUES (@ProjectId, @Name, @CreateAccessLevel, @now)
            ON CONFLICT (project_id, name) DO NOTHING RETURNING id
            """,
            new { tag.ProjectId, tag.Name, tag.CreateAccessLevel, now },
            tx,
            cancellationToken: cancel));
        if (id is null)
        {
            return null;
        }

        var grants = await InsertGrantsAsync(c, tx, "protected_tag_id", id.Value, tag.Grants, cancel);
        await tx.CommitAsync(cancel);
        return tag with { Id = id.Value, Grants = grants };
    }

    public async Task<bool> UnprotectTagAsync(long projectId, string name, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        await using var tx = await c.BeginTransactionAsync(cancel);
        await c.ExecuteAsync(new CommandDefinition(
            "DELETE FROM protected_ref_grants WHERE protected_tag_id IN (SELECT id FROM protected_tags WHERE project_id = @projectId AND name = @name)",
            new { projectId, name },
            tx,
            cancellationToken: cancel));
        var removed = await c.ExecuteAsync(new CommandDefinition(
            "DELETE FROM protected_tags WHERE project_id = @projectId AND name = @name", new { projectId, name }, tx, cancellationToken: cancel)) == 1;
        await tx.CommitAsync(cancel);
        return removed;
    }

    /// <summary>Adds <paramref name="grants"/> to one rule (<paramref name="ruleColumn"/> names the kind); returns them with their ids.</summary>
    private static async Task<IReadOnlyList<ProtectedRefGrant>> InsertGrantsAsync(
        DbConnection c, DbTransaction tx, string ruleColumn, long ruleId, IReadOnlyList<ProtectedRefGrant> grants, CancellationToken cancel)
    {
        var saved = new List<ProtectedRefGrant>(grants.Count);
        foreach (var g in grants)
        {
            var id = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                $"INSERT INTO protected_ref_grants ({ruleColumn}, action, user_id, deploy_key_id) VALUES (@ruleId, @Action, @UserId, @DeployKeyId) RETURNING id",
                new { ruleId, g.Action, g.UserId, g.DeployKeyId },
                tx,
                cancellationToken: cancel));
            saved.Add(g with { Id = id });
        }

        return saved;
    }

    /// <summary>A grant row with the id of the rule it belongs to.</summary>
    private sealed record GrantRow
    {
        public long Id { get; init; }

        public long RuleId { get; init; }

        public string Action { get; init; } = "";

        public long? UserId { get; init; }

        public long? DeployKeyId { get; init; }

        public ProtectedRefGrant Grant => new() { Id = Id, Action = Action, UserId = UserId, DeployKeyId = DeployKeyId };
    }
}

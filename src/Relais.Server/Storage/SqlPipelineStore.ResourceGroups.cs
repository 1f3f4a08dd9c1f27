using System.Data.Common;
using Dapper;
using Relais.Protocol;

namespace Relais.Server.Storage;

/// <summary>
/// Resource-group holders and their queues, kept in the database so they survive restarts and are shared by
/// coordinators. Each resource-group call is one transaction that locks the
/// group's row first (PostgreSQL <c>FOR UPDATE</c>; SQLite serialises writers anyway).
/// </summary>
internal sealed partial class SqlPipelineStore
{
    private string RowLock => _sql.Name == SqlDialect.Postgres.Name ? " FOR UPDATE" : "";

    public async Task<bool> RequestResourceAsync(long projectId, string group, GroupClaim claim, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        await using var tx = await c.BeginTransactionAsync(cancel);
        var holder = await LockGroupAsync(c, tx, projectId, group);
        if (holder is null)
        {
            await SetHolderAsync(c, tx, projectId, group, claim);
        }
        else if (holder != claim)
        {
            await c.ExecuteAsync(
                """
                INSERT INTO resource_group_waiting (project_id, name, pipeline_id, job, attempt)
                VALUES (@projectId, @group, @PipelineId, @Job, @Attempt) ON CONFLICT DO NOTHING
                """,
                new { projectId, group, claim.PipelineId, claim.Job, claim.Attempt },
                tx);
        }

        await tx.CommitAsync(cancel);
        return holder is null || holder == claim;
    }

    public async Task<GroupClaim?> ReleaseResourceAsync(long projectId, string group, GroupClaim claim, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        await using var tx = await c.BeginTransactionAsync(cancel);
        var holder = await LockGroupAsync(c, tx, projectId, group);
        GroupClaim? next = null;
        if (holder == claim)
        {
            var waiting = await c.QueryFirstOrDefaultAsync<(long PipelineId, string Job, long Attempt)?>(
                "SELECT pipeline_id, job, attempt FROM resource_group_waiting WHERE project_id = @projectId AND name = @group ORDER BY id LIMIT 1",
                new { projectId, group },
                tx);
            next = waiting is { } w ? new GroupClaim(w.PipelineId, w.Job, (int)w.Attempt) : null;
            await SetHolderAsync(c, tx, projectId, group, next);
        }

        await c.ExecuteAsync(
            """
            DELETE FROM resource_group_waiting WHERE project_id = @projectId AND name = @group
            AND ((pipeline_id = @p1 AND job = @j1 AND attempt = @a1) OR (pipeline_id = @p2 AND job = @j2 AND attempt = @a2))
            """,
            new { projectId, group, p1 = claim.PipelineId, j1 = claim.Job, a1 = claim.Attempt, p2 = next?.PipelineId ?? 0, j2 = next?.Job ?? "", a2 = next?.Attempt ?? 0 },
            tx);
        await tx.CommitAsync(cancel);
        return next;
    }

    public async Task<IReadOnlyList<ResourceHolder>> ResourceHoldersAsync(CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return [.. (await c.QueryAsync<(long ProjectId, string Name, long PipelineId, string Job, long Attempt)>(
            """
            SELECT project_id, name, holder_pipeline_id, holder_job, holder_attempt FROM resource_groups
            WHERE holder_pipeline_id IS NOT NULL ORDER BY project_id, name
            """)).Select(r => new ResourceHolder(r.ProjectId, r.Name, new GroupClaim(r.PipelineId, r.Job, (int)r.Attempt)))];
    }

    /// <summary>Creates the group's row if needed, locks it until commit, and returns its holder.</summary>
    private async Task<GroupClaim?> LockGroupAsync(DbConnection c, DbTransaction tx, long projectId, string group)
    {
        await c.ExecuteAsync(
            "INSERT INTO resource_groups (project_id, name) VALUES (@projectId, @group) ON CONFLICT DO NOTHING",
            new { projectId, group },
            tx);
        var row = await c.QuerySingleAsync<(long? PipelineId, string? Job, long? Attempt)>(
            $"SELECT holder_pipeline_id, holder_job, holder_attempt FROM resource_groups WHERE project_id = @projectId AND name = @group{RowLock}",
            new { projectId, group },
            tx);
        return row.PipelineId is { } p ? new GroupClaim(p, row.Job!, (int)(row.Attempt ?? 1)) : null;
    }

    private static Task SetHolderAsync(DbConnection c, DbTransaction tx, long projectId, string group, GroupClaim? holder) =>
        c.ExecuteAsync(
            """
            UPDATE resource_groups SET holder_pipeline_id = @pipelineId, holder_job = @job, holder_attempt = @attempt
            WHERE project_id = @projectId AND name = @group
            """,
            new { projectId, group, pipelineId = holder?.PipelineId, job = holder?.Job, attempt = holder?.Attempt },
            tx);
}

/// <summary>A job attempt that holds, or waits for, a resource group.</summary>
public sealed record GroupClaim(long PipelineId, string Job, int Attempt);

/// <summary>The holder of one resource group.</summary>
public sealed record ResourceHolder(long ProjectId, string Group, GroupClaim Claim);

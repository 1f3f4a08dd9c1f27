using System.Data.Common;
using Dapper;
using Relais.Protocol;

namespace Relais.Server.Storage;

/// <summary>
/// The store's reliability part: job heartbeats (the last time a job's runner was heard from), the jobs the watchdog
/// looks for (silent runners, pending too long, delayed ones), and resource-group holders kept in the database so
/// they survive restarts and are shared by coordinators. Each resource-group call is one transaction that locks the
/// group's row first (PostgreSQL <c>FOR UPDATE</c>; SQLite serialises writers anyway).
/// </summary>
internal sealed partial class SqlStore
{
    private string RowLock => _sql.Name == SqlDialect.Postgres.Name ? " FOR UPDATE" : "";

    public async Task TouchJobAsync(long jobId, DateTimeOffset at, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        await c.ExecuteAsync("UPDATE jobs SET contacted_at = @at WHERE id = @jobId", new { jobId, at });
    }

    public async Task<IReadOnlyList<JobRecord>> SilentJobsAsync(DateTimeOffset contactedBefore, int limit, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return [.. await c.QueryAsync<JobRecord>(
            $"""
            SELECT {JobColumns} FROM jobs WHERE status IN ('running', 'canceling')
            AND COALESCE(contacted_at, started_at) < @contactedBefore ORDER BY id LIMIT @limit
            """,
            new { contactedBefore, limit })];
    }

    public async Task<bool> IsSilentAsync(long jobId, DateTimeOffset contactedBefore, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.ExecuteScalarAsync<long>(
            """
            SELECT COUNT(*) FROM jobs WHERE id = @jobId AND status IN ('running', 'canceling')
            AND COALESCE(contacted_at, started_at) < @contactedBefore
            """,
            new { jobId, contactedBefore }) == 1;
    }

    public async Task<IReadOnlyList<JobRecord>> PendingSinceAsync(DateTimeOffset queuedBefore, int limit, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return [.. await c.QueryAsync<JobRecord>(
            $"SELECT {JobColumns} FROM jobs WHERE status = 'pending' AND queued_at < @queuedBefore ORDER BY id LIMIT @limit",
            new { queuedBefore, limit })];
    }

    public async Task<IReadOnlyList<long>> PipelinesWithJobsAsync(IReadOnlyCollection<CiStatus> statuses, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return [.. await c.QueryAsync<long>(
            $"SELECT DISTINCT pipeline_id FROM jobs WHERE status {_sql.InList("statuses")} ORDER BY pipeline_id",
            new { statuses = StoredNames(statuses) })];
    }

    public async Task<CiStatus?> JobStatusAsync(long pipelineId, string job, int attempt, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        var stored = await c.ExecuteScalarAsync<string?>(
            "SELECT status FROM jobs WHERE pipeline_id = @pipelineId AND name = @job AND attempt = @attempt",
            new { pipelineId, job, attempt });
        return stored is null ? null : CiStatusNames.FromStored(stored);
    }

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

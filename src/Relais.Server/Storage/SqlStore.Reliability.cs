using Dapper;

namespace Relais.Server.Storage;

/// <summary>
/// The store's reliability part: job heartbeats (the last time a job's runner was heard from), the jobs the watchdog
/// looks for (silent runners, pending too long, delayed ones), and the resource-group holders the sweeper checks
/// (the groups themselves: <c>SqlStore.ResourceGroups.cs</c>).
/// </summary>
internal sealed partial class SqlStore
{
    private string RowLock => _sql.Name == SqlDialect.Postgres.Name ? " FOR UPDATE" : "";

    public async Task TouchJobAsync(long jobId, DateTimeOffset at)
    {
        await using var c = await db.OpenAsync();
        await c.ExecuteAsync("UPDATE jobs SET contacted_at = @at WHERE id = @jobId", new { jobId, at });
    }

    public async Task<IReadOnlyList<JobRecord>> SilentJobsAsync(DateTimeOffset contactedBefore, int limit)
    {
        await using var c = await db.OpenAsync();
        return [.. await c.QueryAsync<JobRecord>(
            $"""
            SELECT {JobColumns} FROM jobs WHERE status IN ('running', 'canceling')
            AND COALESCE(contacted_at, started_at) < @contactedBefore ORDER BY id LIMIT @limit
            """,
            new { contactedBefore, limit })];
    }

    public async Task<bool> IsSilentAsync(long jobId, DateTimeOffset contactedBefore)
    {
        await using var c = await db.OpenAsync();
        return await c.ExecuteScalarAsync<long>(
            """
            SELECT COUNT(*) FROM jobs WHERE id = @jobId AND status IN ('running', 'canceling')
            AND COALESCE(contacted_at, started_at) < @contactedBefore
            """,
            new { jobId, contactedBefore }) == 1;
    }

    public async Task<IReadOnlyList<JobRecord>> PendingSinceAsync(DateTimeOffset queuedBefore, int limit)
    {
        await using var c = await db.OpenAsync();
        return [.. await c.QueryAsync<JobRecord>(
            $"SELECT {JobColumns} FROM jobs WHERE status = 'pending' AND queued_at < @queuedBefore ORDER BY id LIMIT @limit",
            new { queuedBefore, limit })];
    }

    public async Task<IReadOnlyList<long>> PipelinesWithJobsAsync(IReadOnlyCollection<string> statuses)
    {
        await using var c = await db.OpenAsync();
        return [.. await c.QueryAsync<long>(
            $"SELECT DISTINCT pipeline_id FROM jobs WHERE status {_sql.InList("statuses")} ORDER BY pipeline_id",
            new { statuses = statuses.ToArray() })];
    }

    public async Task<string?> JobStatusAsync(long pipelineId, string job, int attempt)
    {
        await using var c = await db.OpenAsync();
        return await c.ExecuteScalarAsync<string?>(
            "SELECT status FROM jobs WHERE pipeline_id = @pipelineId AND name = @job AND attempt = @attempt",
            new { pipelineId, job, attempt });
    }

    public async Task<IReadOnlyList<ResourceHolder>> ResourceHoldersAsync()
    {
        await using var c = await db.OpenAsync();
        return [.. (await c.QueryAsync<(long ProjectId, string Name, long PipelineId, string Job, long Attempt)>(
            """
            SELECT project_id, name, holder_pipeline_id, holder_job, holder_attempt FROM resource_groups
            WHERE holder_pipeline_id IS NOT NULL ORDER BY project_id, name
            """)).Select(r => new ResourceHolder(r.ProjectId, r.Name, new GroupClaim(r.PipelineId, r.Job, (int)r.Attempt)))];
    }
}

/// <summary>A job attempt that holds, or waits for, a resource group.</summary>
public sealed record GroupClaim(long PipelineId, string Job, int Attempt);

/// <summary>The holder of one resource group.</summary>
public sealed record ResourceHolder(long ProjectId, string Group, GroupClaim Claim);

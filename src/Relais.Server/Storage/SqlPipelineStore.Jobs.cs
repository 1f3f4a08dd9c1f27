using Dapper;
using Relais.Protocol;

namespace Relais.Server.Storage;

/// <summary>
/// Job rows (one per attempt): lookups for the queue and the runner API, pages for the REST API, and what the
/// watchdog and the sweeper look for (heartbeats, silent runners, jobs pending too long, jobs in a status).
/// </summary>
internal sealed partial class SqlPipelineStore
{
    public async Task<JobRecord?> GetJobAsync(long jobId, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.QuerySingleOrDefaultAsync<JobRecord>(new CommandDefinition($"SELECT {JobColumns} FROM jobs WHERE id = @jobId", new { jobId }, cancellationToken: cancel));
    }

    public async Task<JobRecord?> FindJobByTokenAsync(string tokenHash, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.QuerySingleOrDefaultAsync<JobRecord>(new CommandDefinition($"SELECT {JobColumns} FROM jobs WHERE token_hash = @tokenHash", new { tokenHash }, cancellationToken: cancel));
    }

    public async Task<IReadOnlyList<JobRecord>> PendingJobsAsync(int limit, bool trustedProjectsOnly = false, RunnerRecord? reachableBy = null, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return [.. await c.QueryAsync<JobRecord>(new CommandDefinition(
            $"SELECT {JobColumns} FROM jobs WHERE status = 'pending' AND NOT bridge {(trustedProjectsOnly ? InTrustedProject : "")} {Queue.RunnerReach.Filter(reachableBy)} ORDER BY id LIMIT @limit",
            new { limit, reachRunnerId = reachableBy?.Id, reachGroupId = reachableBy?.GroupId },
            cancellationToken: cancel))];
    }

    /// <summary>
    /// <c>Queue/ProjectTrust</c>'s rule as a filter (the queue still asks it for each job it hands out): the project is
    /// marked trusted, or its path is <c>ADMIN/NAME</c> (one slash, after an administrator's username).
    /// </summary>
    private const string InTrustedProject = """
        AND project_id IN (SELECT p.id FROM projects p WHERE p.trusted OR EXISTS (SELECT 1 FROM users u WHERE u.is_admin
            AND substr(p.path, 1, length(u.username) + 1) = u.username || '/'
            AND length(replace(p.path, '/', '')) = length(p.path) - 1))
        """;

    public async Task<IReadOnlyList<JobRecord>> CurrentJobsAsync(long pipelineId, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return [.. await c.QueryAsync<JobRecord>(new CommandDefinition(
            $"""
            SELECT {JobColumns} FROM jobs j WHERE pipeline_id = @pipelineId
            AND attempt = (SELECT MAX(attempt) FROM jobs k WHERE k.pipeline_id = j.pipeline_id AND k.name = j.name)
            ORDER BY id
            """,
            new { pipelineId },
            cancellationToken: cancel))];
    }

    public async Task<IReadOnlyList<JobRecord>> JobsOfPipelineAsync(long pipelineId, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return [.. await c.QueryAsync<JobRecord>(new CommandDefinition($"SELECT {JobColumns} FROM jobs WHERE pipeline_id = @pipelineId ORDER BY id", new { pipelineId }, cancellationToken: cancel))];
    }

    public async Task<Page<JobRecord>> ListProjectJobsAsync(long projectId, ListQuery query, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var where = "project_id = @projectId" + (query.Statuses.Count == 0 ? "" : " AND status " + _sql.InList("Statuses"));
        var args = new { projectId, Statuses = StoredNames(query.Statuses), query.Offset, query.Limit };
        await using var c = await db.OpenAsync(cancel);
        var total = await c.ExecuteScalarAsync<int>(new CommandDefinition($"SELECT COUNT(*) FROM jobs WHERE {where}", args, cancellationToken: cancel));
        var items = await c.QueryAsync<JobRecord>(new CommandDefinition($"SELECT {JobColumns} FROM jobs WHERE {where} ORDER BY id DESC LIMIT @Limit OFFSET @Offset", args, cancellationToken: cancel));
        return new Page<JobRecord>([.. items], total);
    }

    public async Task MarkJobErasedAsync(long jobId, DateTimeOffset now, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE jobs SET erased_at = @now WHERE id = @jobId AND erased_at IS NULL", new { jobId, now }, cancellationToken: cancel));
    }

    public async Task TouchJobAsync(long jobId, DateTimeOffset at, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        await c.ExecuteAsync(new CommandDefinition("UPDATE jobs SET contacted_at = @at WHERE id = @jobId", new { jobId, at }, cancellationToken: cancel));
    }

    public async Task<IReadOnlyList<JobRecord>> SilentJobsAsync(DateTimeOffset contactedBefore, int limit, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return [.. await c.QueryAsync<JobRecord>(new CommandDefinition(
            $"""
            SELECT {JobColumns} FROM jobs WHERE status IN ('running', 'canceling') AND NOT bridge
            AND COALESCE(contacted_at, started_at) < @contactedBefore ORDER BY id LIMIT @limit
            """,
            new { contactedBefore, limit },
            cancellationToken: cancel))];
    }

    public async Task<bool> IsSilentAsync(long jobId, DateTimeOffset contactedBefore, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            SELECT COUNT(*) FROM jobs WHERE id = @jobId AND status IN ('running', 'canceling') AND NOT bridge
            AND COALESCE(contacted_at, started_at) < @contactedBefore
            """,
            new { jobId, contactedBefore },
            cancellationToken: cancel)) == 1;
    }

    public async Task<IReadOnlyList<JobRecord>> PendingSinceAsync(DateTimeOffset queuedBefore, int limit, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return [.. await c.QueryAsync<JobRecord>(new CommandDefinition(
            $"SELECT {JobColumns} FROM jobs WHERE status = 'pending' AND NOT bridge AND queued_at < @queuedBefore ORDER BY id LIMIT @limit",
            new { queuedBefore, limit },
            cancellationToken: cancel))];
    }

    public async Task<IReadOnlyList<long>> PipelinesWithJobsAsync(IReadOnlyCollection<CiStatus> statuses, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return [.. await c.QueryAsync<long>(new CommandDefinition(
            $"SELECT DISTINCT pipeline_id FROM jobs WHERE status {_sql.InList("statuses")} ORDER BY pipeline_id",
            new { statuses = StoredNames(statuses) },
            cancellationToken: cancel))];
    }

    public async Task<CiStatus?> JobStatusAsync(long pipelineId, string job, int attempt, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        var stored = await c.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT status FROM jobs WHERE pipeline_id = @pipelineId AND name = @job AND attempt = @attempt",
            new { pipelineId, job, attempt },
            cancellationToken: cancel));
        return stored is null ? null : CiStatusNames.FromStored(stored);
    }
}

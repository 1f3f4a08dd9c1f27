using Dapper;
using Relais.Protocol;
using Relais.Server.Storage.Json;

namespace Relais.Server.Storage;

/// <summary>
/// The <see cref="IServerStore"/> over SQLite or PostgreSQL (the SQL is shared; <see cref="SqlDialect"/> holds the
/// differences): pipelines and jobs here; engine states and the claim in <c>SqlStore.States.cs</c>; identity, artifacts
/// and the rest in the other parts.
/// </summary>
internal sealed partial class SqlStore(IDatabase db, Security.SecretBox secrets) : IServerStore
{
    private readonly SqlDialect _sql = db.Dialect;

    private const string PipelineColumns =
        "id, project_id, ref, sha, status AS stored_status, version, state_json IS NOT NULL AS has_state, context_json, diagnostics_json, created_at, updated_at";

    internal const string JobColumns =
        "id, pipeline_id, project_id, name, stage, attempt, status AS stored_status, tags, runner_id, failure_reason, exit_code";

    static SqlStore() => DefaultTypeMap.MatchNamesWithUnderscores = true;

    /// <summary>Statuses as the tables store them (GitLab's names), for <c>IN</c> lists.</summary>
    private static string[] StoredNames(IEnumerable<CiStatus> statuses) => [.. statuses.Select(s => s.ToGitLab())];

    public async Task<long> InsertPipelineAsync(long projectId, string gitRef, string sha, string contextJson, DateTimeOffset now, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.ExecuteScalarAsync<long>(
            $"""
            INSERT INTO pipelines (project_id, ref, sha, status, context_json, created_at, updated_at)
            VALUES (@projectId, @gitRef, @sha, 'created', @contextJson{_sql.Json}, @now, @now) RETURNING id
            """,
            new { projectId, gitRef, sha, contextJson, now });
    }

    public async Task FailPipelineAsync(long pipelineId, string diagnosticsJson, DateTimeOffset now, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        await c.ExecuteAsync(
            "UPDATE pipelines SET status = 'failed', diagnostics_json = @diagnosticsJson, updated_at = @now WHERE id = @pipelineId",
            new { pipelineId, diagnosticsJson, now });
    }

    public async Task DeleteUnstartedPipelineAsync(long pipelineId, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        await c.ExecuteAsync("DELETE FROM pipelines WHERE id = @pipelineId AND state_json IS NULL", new { pipelineId });
    }

    public async Task<PipelineRecord?> GetPipelineAsync(long pipelineId, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.QuerySingleOrDefaultAsync<PipelineRecord>($"SELECT {PipelineColumns} FROM pipelines WHERE id = @pipelineId", new { pipelineId });
    }

    public async Task<JobRecord?> GetJobAsync(long jobId, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.QuerySingleOrDefaultAsync<JobRecord>($"SELECT {JobColumns} FROM jobs WHERE id = @jobId", new { jobId });
    }

    public async Task<JobRecord?> FindJobByTokenAsync(string tokenHash, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.QuerySingleOrDefaultAsync<JobRecord>($"SELECT {JobColumns} FROM jobs WHERE token_hash = @tokenHash", new { tokenHash });
    }

    public async Task<IReadOnlyList<JobRecord>> PendingJobsAsync(int limit, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return [.. await c.QueryAsync<JobRecord>($"SELECT {JobColumns} FROM jobs WHERE status = 'pending' ORDER BY id LIMIT @limit", new { limit })];
    }

    public async Task<IReadOnlyList<JobRecord>> CurrentJobsAsync(long pipelineId, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return [.. await c.QueryAsync<JobRecord>(
            $"""
            SELECT {JobColumns} FROM jobs j WHERE pipeline_id = @pipelineId
            AND attempt = (SELECT MAX(attempt) FROM jobs k WHERE k.pipeline_id = j.pipeline_id AND k.name = j.name)
            ORDER BY id
            """,
            new { pipelineId })];
    }
}

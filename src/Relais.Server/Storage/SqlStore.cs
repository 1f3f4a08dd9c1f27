using Dapper;
using Relais.Engine;
using Relais.Server.Storage.Json;

namespace Relais.Server.Storage;

/// <summary>
/// The <see cref="IServerStore"/> over SQLite or PostgreSQL (the SQL is shared; <see cref="SqlDialect"/> holds the
/// differences): pipelines, jobs and the claim here; identity and artifacts are in the other parts.
/// </summary>
internal sealed partial class SqlStore(IDatabase db, Security.SecretBox secrets) : IServerStore
{
    private readonly SqlDialect _sql = db.Dialect;
    private readonly PipelineStateCache _states = new();

    private const string PipelineColumns =
        "id, project_id, ref, sha, status, version, state_json IS NOT NULL AS has_state, context_json, diagnostics_json, created_at, updated_at";

    internal const string JobColumns =
        "id, pipeline_id, project_id, name, stage, attempt, status, tags, runner_id, failure_reason, exit_code";

    static SqlStore() => DefaultTypeMap.MatchNamesWithUnderscores = true;

    public async Task<long> InsertPipelineAsync(long projectId, string gitRef, string sha, string contextJson, DateTimeOffset now)
    {
        await using var c = await db.OpenAsync();
        return await c.ExecuteScalarAsync<long>(
            $"""
            INSERT INTO pipelines (project_id, ref, sha, status, context_json, created_at, updated_at)
            VALUES (@projectId, @gitRef, @sha, 'created', @contextJson{_sql.Json}, @now, @now) RETURNING id
            """,
            new { projectId, gitRef, sha, contextJson, now });
    }

    public async Task FailPipelineAsync(long pipelineId, string diagnosticsJson, DateTimeOffset now)
    {
        await using var c = await db.OpenAsync();
        await c.ExecuteAsync(
            "UPDATE pipelines SET status = 'failed', diagnostics_json = @diagnosticsJson, updated_at = @now WHERE id = @pipelineId",
            new { pipelineId, diagnosticsJson, now });
    }


    public async Task<EngineStep?> TransitionAsync(long pipelineId, Func<PipelineState?, EngineStep> decide, JobClaim? claim = null)
    {
        await using var c = await db.OpenAsync();
        await using var tx = await c.BeginTransactionAsync();
        if (_sql.LockPipeline.Length > 0)
        {
            await c.ExecuteAsync(_sql.LockPipeline, new { pipelineId }, tx);
        }

        if (claim is not null && await c.ExecuteAsync(_sql.ClaimJob, claim, tx) != 1)
        {
            return null;
        }

        var (cached, cachedState) = _states.Get(pipelineId);
        var row = await c.QuerySingleAsync<(long ProjectId, long Version, string? StateJson, string? PlanJson)>(
            """
            SELECT project_id, version, CASE WHEN version = @cached THEN NULL ELSE state_json END,
                   CASE WHEN @knowPlan THEN NULL ELSE plan_json END
            FROM pipelines WHERE id = @pipelineId
            """,
            new { pipelineId, cached, knowPlan = cachedState is not null },
            tx);
        var before = row.Version == cached ? cachedState : Parse(row.StateJson, cachedState?.Plan, row.PlanJson);
        var step = decide(before);
        if (!step.Accepted)
        {
            return null;
        }

        // The plan is written once: with the first state, or when a row of the old format (plan inside the state) is rewritten.
        var writePlan = before is null || (cachedState is null && row.PlanJson is null);
        await c.ExecuteAsync(
            $"""
            UPDATE pipelines SET state_json = @state{_sql.Json}, {(writePlan ? "plan_json = @plan," : "")}
                status = @status, version = version + 1, updated_at = @at
            WHERE id = @pipelineId
            """,
            new
            {
                state = StateJson.WriteProgress(step.State),
                plan = writePlan ? StateJson.Write(step.State.Plan) : null,
                status = step.State.Status.ToGitLab(),
                at = step.State.UpdatedAt,
                pipelineId,
            },
            tx);
        foreach (var changed in step.EffectsOf<JobStatusChanged>())
        {
            var job = step.State.Jobs.First(j => j.Name == changed.Job && j.Attempt == changed.Attempt);
            var plan = step.State.Plan.Job(changed.Job)!;
            await c.ExecuteAsync(
                """
                INSERT INTO jobs (pipeline_id, project_id, name, stage, attempt, status, tags, queued_at, started_at, finished_at, failure_reason, exit_code)
                VALUES (@pipelineId, @projectId, @name, @stage, @attempt, @status, @tags, @queued, @started, @finished, @reason, @exitCode)
                ON CONFLICT (pipeline_id, name, attempt) DO UPDATE SET
                    status = excluded.status, queued_at = excluded.queued_at, started_at = excluded.started_at,
                    finished_at = excluded.finished_at, failure_reason = excluded.failure_reason, exit_code = excluded.exit_code
                """,
                new
                {
                    pipelineId,
                    projectId = row.ProjectId,
                    name = job.Name,
                    stage = plan.Stage,
                    attempt = job.Attempt,
                    status = job.Status.ToGitLab(),
                    tags = Tags.Join(plan.Tags),
                    queued = job.QueuedAt,
                    started = job.StartedAt,
                    finished = job.FinishedAt,
                    reason = job.FailureReason,
                    exitCode = job.ExitCode,
                },
                tx);
        }

        await tx.CommitAsync();
        _states.Put(pipelineId, row.Version + 1, step.State);
        return step;
    }

    public async Task<PipelineRecord?> GetPipelineAsync(long pipelineId)
    {
        await using var c = await db.OpenAsync();
        return await c.QuerySingleOrDefaultAsync<PipelineRecord>($"SELECT {PipelineColumns} FROM pipelines WHERE id = @pipelineId", new { pipelineId });
    }

    public async Task<PipelineSnapshot?> GetPipelineStateAsync(long pipelineId)
    {
        var (cached, cachedState) = _states.Get(pipelineId);
        await using var c = await db.OpenAsync();
        if (await c.QuerySingleOrDefaultAsync<PipelineRecord>($"SELECT {PipelineColumns} FROM pipelines WHERE id = @pipelineId", new { pipelineId }) is not { } row)
        {
            return null;
        }

        if (row.Version == cached)
        {
            return new PipelineSnapshot(row, cachedState);
        }

        var stored = await c.QuerySingleAsync<(long Version, string? StateJson, string? PlanJson)>(
            "SELECT version, state_json, plan_json FROM pipelines WHERE id = @pipelineId", new { pipelineId });
        var state = Parse(stored.StateJson, cachedState?.Plan, stored.PlanJson);
        if (state is not null)
        {
            _states.Put(pipelineId, stored.Version, state);
        }

        return new PipelineSnapshot(row with { Version = stored.Version }, state);
    }

    /// <summary>A stored state: the progress joined with the plan (known already, or parsed), or a whole state of the old format.</summary>
    private static PipelineState? Parse(string? stateJson, Relais.Pipelines.Plan.PipelinePlan? knownPlan, string? planJson) =>
        stateJson is null ? null
        : knownPlan is not null ? StateJson.ReadProgress(stateJson, knownPlan)
        : planJson is not null ? StateJson.ReadProgress(stateJson, StateJson.ReadPlan(planJson))
        : StateJson.ReadState(stateJson);

    public async Task<JobRecord?> GetJobAsync(long jobId)
    {
        await using var c = await db.OpenAsync();
        return await c.QuerySingleOrDefaultAsync<JobRecord>($"SELECT {JobColumns} FROM jobs WHERE id = @jobId", new { jobId });
    }

    public async Task<JobRecord?> FindJobByTokenAsync(string tokenHash)
    {
        await using var c = await db.OpenAsync();
        return await c.QuerySingleOrDefaultAsync<JobRecord>($"SELECT {JobColumns} FROM jobs WHERE token_hash = @tokenHash", new { tokenHash });
    }

    public async Task<IReadOnlyList<JobRecord>> PendingJobsAsync(int limit)
    {
        await using var c = await db.OpenAsync();
        return [.. await c.QueryAsync<JobRecord>($"SELECT {JobColumns} FROM jobs WHERE status = 'pending' ORDER BY id LIMIT @limit", new { limit })];
    }

    public async Task<IReadOnlyList<JobRecord>> CurrentJobsAsync(long pipelineId)
    {
        await using var c = await db.OpenAsync();
        return [.. await c.QueryAsync<JobRecord>(
            $"""
            SELECT {JobColumns} FROM jobs j WHERE pipeline_id = @pipelineId
            AND attempt = (SELECT MAX(attempt) FROM jobs k WHERE k.pipeline_id = j.pipeline_id AND k.name = j.name)
            ORDER BY id
            """,
            new { pipelineId })];
    }
}

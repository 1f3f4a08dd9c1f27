using System.Data.Common;
using Dapper;
using Relais.Driver;
using Relais.Engine;
using Relais.Pipelines.Plan;
using Relais.Protocol;
using Relais.Server.Storage.State;

namespace Relais.Server.Storage;

/// <summary>
/// Engine states. A pipeline's state is kept in three parts: the plan (<c>pipelines.plan_json</c>, written once), the
/// pipeline's own fields (<c>pipelines.state_json</c>, small) and each job attempt in its row (<c>jobs.state_json</c>).
/// An event writes the pipeline's fields and only the job attempts it changed, so its cost does not grow with the
/// number of jobs. Parsed states are cached by row version (<see cref="PipelineStateCache"/>). The three parts are
/// explicit, versioned records (<see cref="StoredPipelineState"/>); rows of older layouts were rewritten by
/// <see cref="StoredStateMigration"/>.
/// </summary>
internal sealed partial class SqlPipelineStore
{
    private readonly PipelineStateCache _states = new();

    public async Task<EngineStep?> TransitionAsync(long pipelineId, Func<PipelineState?, EngineStep> decide, JobClaim? claim = null, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        await using var tx = await c.BeginTransactionAsync(cancel);
        if (_sql.LockPipeline.Length > 0)
        {
            await c.ExecuteAsync(_sql.LockPipeline, new { pipelineId }, tx);
        }

        if (claim is not null && await c.ExecuteAsync(_sql.ClaimJob, claim, tx) != 1)
        {
            return null;
        }

        var (cached, cachedState) = _states.Get(pipelineId);
        var found = await c.QuerySingleOrDefaultAsync<(long ProjectId, long Version, string? StateJson, string? PlanJson)?>(
            """
            SELECT project_id, version, CASE WHEN version = @cached THEN NULL ELSE state_json END,
                   CASE WHEN @knowPlan THEN NULL ELSE plan_json END
            FROM pipelines WHERE id = @pipelineId
            """,
            new { pipelineId, cached, knowPlan = cachedState is not null },
            tx);
        if (found is not { } row)
        {
            return null; // deleted (DELETE /pipelines/:id): an event that comes late changes nothing
        }

        var before = row.Version == cached ? cachedState
            : await ReadStateAsync(c, tx, pipelineId, row.StateJson, cachedState?.Plan, row.PlanJson);
        var step = decide(before);
        if (!step.Accepted)
        {
            return null;
        }

        // The plan is written once, with the first state.
        var writePlan = before is null;
        await c.ExecuteAsync(
            $"""
            UPDATE pipelines SET state_json = @state{_sql.Json}, {(writePlan ? "plan_json = @plan, name = @name," : "")}
                status = @status, version = version + 1, updated_at = @at
            WHERE id = @pipelineId
            """,
            new
            {
                state = StoredStateJson.WriteHeader(step.State),
                plan = writePlan ? StoredStateJson.Write(step.State.Plan) : null,
                name = writePlan ? step.State.Plan.Name : null,
                status = step.State.Status.ToGitLab(),
                at = step.State.UpdatedAt,
                pipelineId,
            },
            tx);
        await WriteChangedJobsAsync(c, tx, pipelineId, row.ProjectId, before, step.State);
        await tx.CommitAsync(cancel);
        _states.Put(pipelineId, row.Version + 1, step.State);
        return step;
    }

    public async Task<PipelineSnapshot?> GetPipelineStateAsync(long pipelineId, CancellationToken cancel = default)
    {
        var (cached, cachedState) = _states.Get(pipelineId);
        await using var c = await db.OpenAsync(cancel);
        if (await c.QuerySingleOrDefaultAsync<PipelineRecord>($"SELECT {PipelineColumns} FROM pipelines WHERE id = @pipelineId", new { pipelineId }) is not { } row)
        {
            return null;
        }

        if (row.Version == cached)
        {
            return new PipelineSnapshot(row, cachedState);
        }

        // The pipeline's row and its jobs' rows are read apart, without a lock: when an event came in between (the
        // version moved), read again, so a state never mixes two versions.
        (long Version, string? StateJson, string? PlanJson) stored;
        PipelineState? state;
        do
        {
            stored = await c.QuerySingleAsync<(long, string?, string?)>(
                "SELECT version, state_json, plan_json FROM pipelines WHERE id = @pipelineId", new { pipelineId });
            state = await ReadStateAsync(c, null, pipelineId, stored.StateJson, cachedState?.Plan, stored.PlanJson);
        }
        while (state is not null && await c.ExecuteScalarAsync<long>("SELECT version FROM pipelines WHERE id = @pipelineId", new { pipelineId }) != stored.Version);

        if (state is not null)
        {
            _states.Put(pipelineId, stored.Version, state);
        }

        return new PipelineSnapshot(row with { Version = stored.Version }, state);
    }

    /// <summary>A stored state: the pipeline's fields joined with the plan (known already, or parsed) and the job rows.</summary>
    private static async Task<PipelineState?> ReadStateAsync(DbConnection c, DbTransaction? tx, long pipelineId, string? stateJson, PipelinePlan? knownPlan, string? planJson)
    {
        if (stateJson is null)
        {
            return null;
        }

        var plan = knownPlan ?? StoredStateJson.ReadPlan(planJson ?? throw new System.Text.Json.JsonException($"pipeline {pipelineId} has a state but no plan"));
        var order = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < plan.Jobs.Length; i++)
        {
            order[plan.Jobs[i].Name] = i;
        }

        var jobs = (await c.QueryAsync<string>(
                "SELECT state_json FROM jobs WHERE pipeline_id = @pipelineId AND state_json IS NOT NULL", new { pipelineId }, tx))
            .Select(StoredStateJson.ReadJob)
            .OrderBy(j => order.GetValueOrDefault(j.Name, int.MaxValue))
            .ThenBy(j => j.Attempt);
        return StoredStateJson.ReadState(stateJson, plan, jobs);
    }

    /// <summary>Upserts the row of every job attempt that is new or differs from <paramref name="before"/> (all of them when that is null).</summary>
    private static async Task WriteChangedJobsAsync(DbConnection c, DbTransaction tx, long pipelineId, long projectId, PipelineState? before, PipelineState after)
    {
        foreach (var (old, job) in AttemptPairs.Of(before?.Jobs ?? [], after.Jobs))
        {
            if (old is not null && (ReferenceEquals(old, job) || old == job))
            {
                continue;
            }

            var plan = after.Plan.Job(job.Name)!;
            await c.ExecuteAsync(
                """
                INSERT INTO jobs (pipeline_id, project_id, name, stage, attempt, status, tags, queued_at, started_at, finished_at, failure_reason, exit_code, state_json, bridge)
                VALUES (@pipelineId, @projectId, @name, @stage, @attempt, @status, @tags, @queued, @started, @finished, @reason, @exitCode, @state, @bridge)
                ON CONFLICT (pipeline_id, name, attempt) DO UPDATE SET
                    status = excluded.status, queued_at = excluded.queued_at, started_at = excluded.started_at,
                    finished_at = excluded.finished_at, failure_reason = excluded.failure_reason, exit_code = excluded.exit_code,
                    state_json = excluded.state_json
                """,
                new
                {
                    pipelineId,
                    projectId,
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
                    state = StoredStateJson.Write(job),
                    bridge = plan.IsTrigger,
                },
                tx);
        }
    }
}

using System.Data.Common;
using Dapper;
using Relais.Engine;
using Relais.Protocol;
using Relais.Server.Storage.State.Legacy;

namespace Relais.Server.Storage.State;

/// <summary>
/// Migration 50, the part SQL cannot do: rewrites every stored state of the old layouts (the engine's types serialised
/// by reflection: whole in <c>pipelines.state_json</c>; or the plan apart and every job in the pipeline's row; or the
/// plan, the pipeline and each job attempt apart) into <see cref="StoredPipelineState"/> V1, in three parts. Runs in
/// the migration's transaction, a hundred pipelines at a time.
/// </summary>
internal static class StoredStateMigration
{
    public const int Version = 50;

    public static async Task RunAsync(DbConnection c, DbTransaction tx, SqlDialect sql, CancellationToken cancel)
    {
        long after = 0;
        while (true)
        {
            var rows = (await c.QueryAsync<(long Id, long ProjectId, string StateJson, string? PlanJson)>(new CommandDefinition(
                "SELECT id, project_id, state_json, plan_json FROM pipelines WHERE id > @after AND state_json IS NOT NULL ORDER BY id LIMIT 100",
                new { after },
                tx,
                cancellationToken: cancel))).ToList();
            if (rows.Count == 0)
            {
                return;
            }

            foreach (var row in rows)
            {
                var state = await ReadOldAsync(c, tx, row.Id, row.StateJson, row.PlanJson, cancel);
                await c.ExecuteAsync(new CommandDefinition(
                    $"UPDATE pipelines SET state_json = @state{sql.Json}, plan_json = @plan WHERE id = @id",
                    new { id = row.Id, state = StoredStateJson.WriteHeader(state), plan = StoredStateJson.Write(state.Plan) },
                    tx,
                    cancellationToken: cancel));
                foreach (var job in state.Jobs)
                {
                    await WriteJobAsync(c, tx, row.Id, row.ProjectId, state, job, cancel);
                }
            }

            after = rows[^1].Id;
        }
    }

    private static async Task<PipelineState> ReadOldAsync(DbConnection c, DbTransaction tx, long id, string stateJson, string? planJson, CancellationToken cancel)
    {
        if (planJson is null)
        {
            return LegacyStateJson.ReadWhole(stateJson);
        }

        var plan = LegacyStateJson.ReadPlan(planJson);
        var state = LegacyStateJson.ReadProgress(stateJson, plan);
        if (!state.Jobs.IsEmpty)
        {
            return state;
        }

        var order = plan.Jobs.Select((j, i) => (j.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
        var jobs = (await c.QueryAsync<string>(new CommandDefinition(
                "SELECT state_json FROM jobs WHERE pipeline_id = @id AND state_json IS NOT NULL", new { id }, tx, cancellationToken: cancel)))
            .Select(LegacyStateJson.ReadJob)
            .OrderBy(j => order.GetValueOrDefault(j.Name, int.MaxValue))
            .ThenBy(j => j.Attempt);
        return state with { Jobs = [.. jobs] };
    }

    /// <summary>The job's row, created when an old layout kept the attempt only inside the pipeline's row.</summary>
    private static Task WriteJobAsync(DbConnection c, DbTransaction tx, long pipelineId, long projectId, PipelineState state, JobState job, CancellationToken cancel)
    {
        var plan = state.Plan.Job(job.Name);
        return c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO jobs (pipeline_id, project_id, name, stage, attempt, status, tags, queued_at, started_at, finished_at, failure_reason, exit_code, state_json)
            VALUES (@pipelineId, @projectId, @name, @stage, @attempt, @status, @tags, @queued, @started, @finished, @reason, @exitCode, @state)
            ON CONFLICT (pipeline_id, name, attempt) DO UPDATE SET state_json = excluded.state_json
            """,
            new
            {
                pipelineId,
                projectId,
                name = job.Name,
                stage = plan?.Stage ?? "",
                attempt = job.Attempt,
                status = job.Status.ToGitLab(),
                tags = Tags.Join(plan?.Tags ?? []),
                queued = job.QueuedAt,
                started = job.StartedAt,
                finished = job.FinishedAt,
                reason = job.FailureReason,
                exitCode = job.ExitCode,
                state = StoredStateJson.Write(job),
            },
            tx,
            cancellationToken: cancel));
    }
}

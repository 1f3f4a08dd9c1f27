using Dapper;

namespace Relais.Server.Storage;

/// <summary>The <see cref="IJobPlayVariableStore"/> over SQLite or PostgreSQL (<c>job_play_variables</c>).</summary>
internal sealed class SqlJobPlayVariableStore(IDatabase db) : IJobPlayVariableStore
{
    public async Task SetAsync(long jobId, string? sealedJson, DateTimeOffset now, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        await c.ExecuteAsync(new CommandDefinition(
            sealedJson is null
                ? "DELETE FROM job_play_variables WHERE job_id = @jobId"
                : """
                  INSERT INTO job_play_variables (job_id, variables_json, created_at) VALUES (@jobId, @sealedJson, @now)
                  ON CONFLICT (job_id) DO UPDATE SET variables_json = excluded.variables_json, created_at = excluded.created_at
                  """,
            new { jobId, sealedJson, now },
            cancellationToken: cancel));
    }

    public async Task<string?> OfAttemptAsync(long jobId, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT variables_json FROM job_play_variables WHERE job_id = @jobId", new { jobId }, cancellationToken: cancel));
    }

    public async Task<string?> ForJobAsync(JobRecord job, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        await using var c = await db.OpenAsync(cancel);
        return await c.ExecuteScalarAsync<string?>(new CommandDefinition(
            """
            SELECT v.variables_json FROM job_play_variables v JOIN jobs j ON j.id = v.job_id
            WHERE j.pipeline_id = @PipelineId AND j.name = @Name AND j.attempt <= @Attempt
            ORDER BY j.attempt DESC LIMIT 1
            """,
            new { job.PipelineId, job.Name, job.Attempt },
            cancellationToken: cancel));
    }
}

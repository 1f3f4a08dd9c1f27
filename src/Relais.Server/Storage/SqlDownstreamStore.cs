using Dapper;

namespace Relais.Server.Storage;

/// <summary>The <see cref="IDownstreamStore"/> over SQLite or PostgreSQL (<c>pipelines.upstream_*</c>, <c>jobs.bridge</c>).</summary>
internal sealed class SqlDownstreamStore(IDatabase db) : IDownstreamStore
{
    private readonly SqlDialect _sql = db.Dialect;

    public async Task LinkAsync(long downstreamPipelineId, long upstreamPipelineId, long bridgeJobId, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE pipelines SET upstream_pipeline_id = @upstreamPipelineId, upstream_job_id = @bridgeJobId WHERE id = @downstreamPipelineId",
            new { downstreamPipelineId, upstreamPipelineId, bridgeJobId },
            cancellationToken: cancel));
    }

    public async Task<UpstreamLink?> UpstreamOfAsync(long pipelineId, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        var row = await c.QuerySingleOrDefaultAsync<(long? PipelineId, long? JobId)>(new CommandDefinition(
            "SELECT upstream_pipeline_id, upstream_job_id FROM pipelines WHERE id = @pipelineId", new { pipelineId }, cancellationToken: cancel));
        return row is { PipelineId: { } p, JobId: { } j } ? new UpstreamLink(p, j) : null;
    }

    public async Task<IReadOnlyList<DownstreamLink>> DownstreamOfAsync(IReadOnlyCollection<long> bridgeJobIds, CancellationToken cancel = default)
    {
        if (bridgeJobIds.Count == 0)
        {
            return [];
        }

        await using var c = await db.OpenAsync(cancel);
        return [.. await c.QueryAsync<long, PipelineRecord, DownstreamLink>(
            new CommandDefinition(
                $"SELECT upstream_job_id, {SqlPipelineStore.PipelineColumns} FROM pipelines WHERE upstream_job_id {_sql.InList("ids")} ORDER BY id",
                new { ids = bridgeJobIds.ToArray() },
                cancellationToken: cancel),
            (jobId, pipeline) => new DownstreamLink(jobId, pipeline),
            splitOn: "id")];
    }

    public async Task<IReadOnlyList<PipelineRecord>> DownstreamPipelinesAsync(long pipelineId, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return [.. await c.QueryAsync<PipelineRecord>(new CommandDefinition(
            $"SELECT {SqlPipelineStore.PipelineColumns} FROM pipelines WHERE upstream_pipeline_id = @pipelineId ORDER BY id",
            new { pipelineId },
            cancellationToken: cancel))];
    }

    public async Task<IReadOnlyList<JobRecord>> OpenBridgesAsync(int limit, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return [.. await c.QueryAsync<JobRecord>(new CommandDefinition(
            $"SELECT {SqlPipelineStore.JobColumns} FROM jobs WHERE bridge AND status IN ('pending', 'running') ORDER BY id LIMIT @limit",
            new { limit },
            cancellationToken: cancel))];
    }
}

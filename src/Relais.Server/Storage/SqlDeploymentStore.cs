using Dapper;

namespace Relais.Server.Storage;

/// <summary>The <see cref="IDeploymentStore"/> over SQLite or PostgreSQL (<c>deployments</c>; times as UTC text).</summary>
internal sealed class SqlDeploymentStore(IDatabase db) : IDeploymentStore
{
    private const string Columns = "id, iid, project_id, environment_id, job_id, pipeline_id, ref, tag, sha, user_id, status, created_at, updated_at, finished_at";

    public async Task<DeploymentRecord> CreateAsync(NewDeployment deployment, DateTimeOffset now, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var at = SqlKeyStore.StoredTime(now);
        var finished = DeploymentStatuses.IsFinished(deployment.Status) ? at : null;
        for (var attempt = 0; ; attempt++)
        {
            await using var c = await db.OpenAsync(cancel);
            try
            {
                // The next iid in the same statement; two writers picking the same one collide on (project_id, iid) and the loser tries again.
                var id = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                    """
                    INSERT INTO deployments (iid, project_id, environment_id, job_id, pipeline_id, ref, tag, sha, user_id, status, created_at, updated_at, finished_at)
                    SELECT COALESCE(MAX(iid), 0) + 1, @ProjectId, @EnvironmentId, @JobId, @PipelineId, @Ref, @Tag, @Sha, @UserId, @Status, @at, @at, @finished
                    FROM deployments WHERE project_id = @ProjectId
                    RETURNING id
                    """,
                    new { deployment.ProjectId, deployment.EnvironmentId, deployment.JobId, deployment.PipelineId, deployment.Ref, deployment.Tag, deployment.Sha, deployment.UserId, deployment.Status, at, finished },
                    cancellationToken: cancel));
                return (await GetAsync(id, cancel))!;
            }
            catch (System.Data.Common.DbException) when (attempt < 5)
            {
                // another deployment of this project took the iid: read MAX again
            }
        }
    }

    public async Task<DeploymentRecord?> GetAsync(long id, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return (await c.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM deployments WHERE id = @id", new { id }, cancellationToken: cancel)))?.Record;
    }

    public async Task<DeploymentRecord?> FindByJobAsync(long jobId, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return (await c.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM deployments WHERE job_id = @jobId ORDER BY id DESC LIMIT 1", new { jobId }, cancellationToken: cancel)))?.Record;
    }

    public async Task<(IReadOnlyList<DeploymentRecord> Page, int Total)> ListAsync(long projectId, DeploymentFilter filter, int offset, int limit, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var where = "project_id = @projectId"
            + (filter.EnvironmentId is null ? "" : " AND environment_id = @EnvironmentId")
            + (filter.Status is null ? "" : " AND status = @Status")
            + (filter.UpdatedAfter is null ? "" : " AND updated_at > @updatedAfter")
            + (filter.UpdatedBefore is null ? "" : " AND updated_at < @updatedBefore")
            + (filter.FinishedAfter is null ? "" : " AND finished_at > @finishedAfter")
            + (filter.FinishedBefore is null ? "" : " AND finished_at < @finishedBefore");
        var column = filter.OrderBy switch
        {
            "iid" => "iid",
            "created_at" => "created_at",
            "updated_at" => "updated_at",
            "finished_at" => "finished_at",
            "ref" => "ref",
            _ => "id",
        };
        var direction = filter.Ascending ? "ASC" : "DESC";
        var args = new
        {
            projectId,
            filter.EnvironmentId,
            filter.Status,
            updatedAfter = Text(filter.UpdatedAfter),
            updatedBefore = Text(filter.UpdatedBefore),
            finishedAfter = Text(filter.FinishedAfter),
            finishedBefore = Text(filter.FinishedBefore),
            offset,
            limit,
        };
        await using var c = await db.OpenAsync(cancel);
        var total = await c.ExecuteScalarAsync<int>(new CommandDefinition($"SELECT COUNT(*) FROM deployments WHERE {where}", args, cancellationToken: cancel));
        var page = await c.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM deployments WHERE {where} ORDER BY {column} {direction}, id {direction} LIMIT @limit OFFSET @offset", args, cancellationToken: cancel));
        return ([.. page.Select(r => r.Record)], total);
    }

    public async Task<DeploymentRecord?> LastAsync(long environmentId, string? status = null, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return (await c.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM deployments WHERE environment_id = @environmentId" + (status is null ? "" : " AND status = @status") + " ORDER BY id DESC LIMIT 1",
            new { environmentId, status },
            cancellationToken: cancel)))?.Record;
    }

    public async Task<bool> UpdateStatusAsync(long id, string status, DateTimeOffset now, CancellationToken cancel = default)
    {
        var at = SqlKeyStore.StoredTime(now);
        await using var c = await db.OpenAsync(cancel);
        return await c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE deployments SET status = @status, updated_at = @at, finished_at = CASE WHEN @finished THEN COALESCE(finished_at, @at) ELSE NULL END
            WHERE id = @id AND (status NOT IN ('success', 'failed', 'canceled', 'skipped') OR status = @status)
            """,
            new { id, status, at, finished = DeploymentStatuses.IsFinished(status) },
            cancellationToken: cancel)) == 1;
    }

    public async Task<bool> DeleteAsync(long id, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.ExecuteAsync(new CommandDefinition("DELETE FROM deployments WHERE id = @id", new { id }, cancellationToken: cancel)) == 1;
    }

    public async Task<IReadOnlyList<long>> UnfinishedPipelinesAsync(CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return [.. await c.QueryAsync<long>(new CommandDefinition(
            "SELECT DISTINCT pipeline_id FROM deployments WHERE job_id IS NOT NULL AND pipeline_id IS NOT NULL AND status IN ('created', 'running', 'blocked')",
            cancellationToken: cancel))];
    }

    private static string? Text(DateTimeOffset? at) => at is { } t ? SqlKeyStore.StoredTime(t) : null;

    /// <summary>A row as read, its times as text.</summary>
    private sealed class Row
    {
        public long Id { get; init; }

        public long Iid { get; init; }

        public long ProjectId { get; init; }

        public long EnvironmentId { get; init; }

        public long? JobId { get; init; }

        public long? PipelineId { get; init; }

        public string Ref { get; init; } = "";

        public bool Tag { get; init; }

        public string Sha { get; init; } = "";

        public long? UserId { get; init; }

        public string Status { get; init; } = "";

        public string CreatedAt { get; init; } = "";

        public string UpdatedAt { get; init; } = "";

        public string? FinishedAt { get; init; }

        public DeploymentRecord Record => new()
        {
            Id = Id,
            Iid = Iid,
            ProjectId = ProjectId,
            EnvironmentId = EnvironmentId,
            JobId = JobId,
            PipelineId = PipelineId,
            Ref = Ref,
            Tag = Tag,
            Sha = Sha,
            UserId = UserId,
            Status = Status,
            CreatedAt = StoredTimes.Parse(CreatedAt),
            UpdatedAt = StoredTimes.Parse(UpdatedAt),
            FinishedAt = FinishedAt is { } f ? StoredTimes.Parse(f) : null,
        };
    }
}

using Dapper;

namespace Relais.Server.Storage;

/// <summary>Artifact metadata; the bytes live in the blob directory (see <c>ArtifactBlobs</c>).</summary>
internal sealed class SqlArtifactStore(IDatabase db) : IArtifactStore
{
    private const string Columns = "id, job_id, file_type, file_format, filename, size, blob_path, dotenv_json, expire_at";

    private readonly SqlDialect _sql = db.Dialect;

    public async Task SaveArtifactAsync(ArtifactRecord artifact, DateTimeOffset now, DateTimeOffset? expireAt, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        await c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO artifacts (job_id, file_type, file_format, filename, size, blob_path, dotenv_json, expire_at, created_at)
            VALUES (@JobId, @FileType, @FileFormat, @Filename, @Size, @BlobPath, @DotenvJson, @expireAt, @now)
            ON CONFLICT (job_id, file_type) DO UPDATE SET file_format = excluded.file_format, filename = excluded.filename,
                size = excluded.size, blob_path = excluded.blob_path, dotenv_json = excluded.dotenv_json, expire_at = excluded.expire_at
            """,
            new { artifact.JobId, artifact.FileType, artifact.FileFormat, artifact.Filename, artifact.Size, artifact.BlobPath, artifact.DotenvJson, expireAt, now },
            cancellationToken: cancel));
    }

    public async Task<ArtifactRecord?> FindArtifactAsync(long jobId, string fileType, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.QuerySingleOrDefaultAsync<ArtifactRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM artifacts WHERE job_id = @jobId AND file_type = @fileType",
            new { jobId, fileType },
            cancellationToken: cancel));
    }

    public async Task<IReadOnlyList<ArtifactRecord>> ArtifactsOfAsync(IReadOnlyCollection<long> jobIds, CancellationToken cancel = default)
    {
        if (jobIds.Count == 0)
        {
            return [];
        }

        await using var c = await db.OpenAsync(cancel);
        return [.. await c.QueryAsync<ArtifactRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM artifacts WHERE job_id {_sql.InList("jobIds")}",
            new { jobIds = jobIds.ToArray() },
            cancellationToken: cancel))];
    }

    public async Task<bool> KeepArtifactsAsync(long jobId, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.ExecuteAsync(new CommandDefinition(
            "UPDATE artifacts SET expire_at = NULL WHERE job_id = @jobId", new { jobId }, cancellationToken: cancel)) > 0;
    }

    public async Task<IReadOnlyList<ArtifactRecord>> DeleteArtifactsAsync(IReadOnlyCollection<long> jobIds, CancellationToken cancel = default)
    {
        if (jobIds.Count == 0)
        {
            return [];
        }

        await using var c = await db.OpenAsync(cancel);
        return [.. await c.QueryAsync<ArtifactRecord>(new CommandDefinition(
            $"DELETE FROM artifacts WHERE job_id {_sql.InList("jobIds")} RETURNING {Columns}",
            new { jobIds = jobIds.ToArray() },
            cancellationToken: cancel))];
    }

    public async Task<IReadOnlyList<long>> DeletableJobsOfProjectAsync(long projectId, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return [.. await c.QueryAsync<long>(new CommandDefinition(
            """
            SELECT DISTINCT a.job_id FROM artifacts a JOIN jobs j ON j.id = a.job_id
            WHERE j.project_id = @projectId AND j.pipeline_id NOT IN (
                SELECT MAX(p.id) FROM pipelines p WHERE p.project_id = @projectId AND p.status = 'success' GROUP BY p.ref)
            ORDER BY a.job_id
            """,
            new { projectId },
            cancellationToken: cancel))];
    }
}

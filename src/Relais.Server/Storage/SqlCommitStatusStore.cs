using Dapper;

namespace Relais.Server.Storage;

/// <summary>The <see cref="ICommitStatusStore"/> over SQLite or PostgreSQL.</summary>
internal sealed class SqlCommitStatusStore(IDatabase db) : ICommitStatusStore
{
    private const string Columns =
        "id, project_id, sha, ref, name, status, target_url, description, coverage, pipeline_id, author_id, created_at, started_at, finished_at";

    public async Task<CommitStatusRecord> AddAsync(CommitStatusRecord status, DateTimeOffset now, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(status);
        await using var c = await db.OpenAsync(cancel);
        var id = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO commit_statuses (project_id, sha, ref, name, status, target_url, description, coverage, pipeline_id, author_id, created_at, started_at, finished_at)
            VALUES (@ProjectId, @Sha, @Ref, @Name, @Status, @TargetUrl, @Description, @Coverage, @PipelineId, @AuthorId, @now, @started, @finished) RETURNING id
            """,
            new
            {
                status.ProjectId, status.Sha, status.Ref, status.Name, status.Status, status.TargetUrl, status.Description, status.Coverage, status.PipelineId, status.AuthorId, now,
                started = Time(status.StartedAt), finished = Time(status.FinishedAt),
            },
            cancellationToken: cancel));
        return (await c.QuerySingleAsync<CommitStatusRecord>(new CommandDefinition($"SELECT {Columns} FROM commit_statuses WHERE id = @id", new { id }, cancellationToken: cancel)));
    }

    public async Task<bool> UpdateAsync(CommitStatusRecord status, string expectedStatus, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(status);
        await using var c = await db.OpenAsync(cancel);
        return await c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE commit_statuses SET status = @Status, target_url = @TargetUrl, description = @Description, coverage = @Coverage,
                started_at = @started, finished_at = @finished
            WHERE id = @Id AND status = @expectedStatus
            """,
            new { status.Id, status.Status, status.TargetUrl, status.Description, status.Coverage, started = Time(status.StartedAt), finished = Time(status.FinishedAt), expectedStatus },
            cancellationToken: cancel)) == 1;
    }

    public async Task<IReadOnlyList<CommitStatusRecord>> ListForShaAsync(long projectId, string sha, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return [.. await c.QueryAsync<CommitStatusRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM commit_statuses WHERE project_id = @projectId AND sha = @sha ORDER BY id", new { projectId, sha }, cancellationToken: cancel))];
    }

    public async Task<IReadOnlyList<CommitStatusRecord>> ListForPipelineAsync(long pipelineId, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return [.. await c.QueryAsync<CommitStatusRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM commit_statuses WHERE pipeline_id = @pipelineId ORDER BY id", new { pipelineId }, cancellationToken: cancel))];
    }

    /// <summary>A stored time handed back: parsed so PostgreSQL gets a timestamp, SQLite its text.</summary>
    private static DateTimeOffset? Time(string? stored) =>
        DateTimeOffset.TryParse(stored, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at) ? at : null;
}

using Dapper;

namespace Relais.Server.Storage;

/// <summary>The <see cref="IDeploymentApprovalStore"/> over SQLite or PostgreSQL (<c>deployment_approvals</c>; times as UTC text).</summary>
internal sealed class SqlDeploymentApprovalStore(IDatabase db) : IDeploymentApprovalStore
{
    private const string Columns = "id, deployment_id, user_id, status, comment, created_at, updated_at";

    public async Task<DeploymentApprovalRecord> SaveAsync(long deploymentId, long userId, string status, string? comment, DateTimeOffset now, CancellationToken cancel = default)
    {
        var at = SqlKeyStore.StoredTime(now);
        await using var c = await db.OpenAsync(cancel);
        // A changed answer takes the new comment; the same answer again keeps the first one (GitLab's ApprovalService).
        await c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO deployment_approvals (deployment_id, user_id, status, comment, created_at, updated_at)
            VALUES (@deploymentId, @userId, @status, @comment, @at, @at)
            ON CONFLICT (deployment_id, user_id) DO UPDATE SET
                comment = CASE WHEN deployment_approvals.status = excluded.status THEN deployment_approvals.comment ELSE excluded.comment END,
                status = excluded.status,
                updated_at = excluded.updated_at
            """,
            new { deploymentId, userId, status, comment, at },
            cancellationToken: cancel));
        var row = await c.QuerySingleAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM deployment_approvals WHERE deployment_id = @deploymentId AND user_id = @userId",
            new { deploymentId, userId },
            cancellationToken: cancel));
        return row.Record;
    }

    public async Task<IReadOnlyList<DeploymentApprovalRecord>> ListAsync(long deploymentId, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return [.. (await c.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM deployment_approvals WHERE deployment_id = @deploymentId ORDER BY id", new { deploymentId }, cancellationToken: cancel))).Select(r => r.Record)];
    }

    private sealed class Row
    {
        public long Id { get; init; }

        public long DeploymentId { get; init; }

        public long UserId { get; init; }

        public string Status { get; init; } = "";

        public string? Comment { get; init; }

        public string CreatedAt { get; init; } = "";

        public string UpdatedAt { get; init; } = "";

        public DeploymentApprovalRecord Record => new()
        {
            Id = Id,
            DeploymentId = DeploymentId,
            UserId = UserId,
            Status = Status,
            Comment = Comment,
            CreatedAt = StoredTimes.Parse(CreatedAt),
            UpdatedAt = StoredTimes.Parse(UpdatedAt),
        };
    }
}

using Dapper;

namespace Relais.Server.Storage;

/// <summary>The <see cref="IContainerExpirationPolicyStore"/> over SQLite or PostgreSQL (<c>container_expiration_policies</c>).</summary>
internal sealed class SqlContainerExpirationPolicyStore(IDatabase db) : IContainerExpirationPolicyStore
{
    private const string Columns = "project_id, enabled, cadence, keep_n, older_than, name_regex, name_regex_keep, next_run_at, updated_at";

    public async Task<ContainerExpirationPolicyRecord?> GetAsync(long projectId, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.QuerySingleOrDefaultAsync<ContainerExpirationPolicyRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM container_expiration_policies WHERE project_id = @projectId", new { projectId }, cancellationToken: cancel));
    }

    public async Task SaveAsync(ContainerExpirationPolicyRecord policy, DateTimeOffset now, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        await using var c = await db.OpenAsync(cancel);
        await c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO container_expiration_policies (project_id, enabled, cadence, keep_n, older_than, name_regex, name_regex_keep, next_run_at, created_at, updated_at)
            VALUES (@ProjectId, @Enabled, @Cadence, @KeepN, @OlderThan, @NameRegex, @NameRegexKeep, @NextRunAt, @at, @at)
            ON CONFLICT (project_id) DO UPDATE SET enabled = @Enabled, cadence = @Cadence, keep_n = @KeepN, older_than = @OlderThan,
                name_regex = @NameRegex, name_regex_keep = @NameRegexKeep, next_run_at = @NextRunAt, updated_at = @at
            """,
            new { policy.ProjectId, policy.Enabled, policy.Cadence, policy.KeepN, policy.OlderThan, policy.NameRegex, policy.NameRegexKeep, policy.NextRunAt, at = SqlKeyStore.StoredTime(now) },
            cancellationToken: cancel));
    }

    public async Task<IReadOnlyList<ContainerExpirationPolicyRecord>> ListDueAsync(DateTimeOffset now, int limit, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return [.. await c.QueryAsync<ContainerExpirationPolicyRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM container_expiration_policies WHERE enabled = TRUE AND next_run_at IS NOT NULL AND next_run_at <= @now ORDER BY next_run_at, project_id LIMIT @limit",
            new { now = SqlKeyStore.StoredTime(now), limit },
            cancellationToken: cancel))];
    }

    public async Task<bool> ClaimRunAsync(long projectId, string due, string next, DateTimeOffset now, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.ExecuteAsync(new CommandDefinition(
            "UPDATE container_expiration_policies SET next_run_at = @next, updated_at = @at WHERE project_id = @projectId AND enabled = TRUE AND next_run_at = @due",
            new { projectId, due, next, at = SqlKeyStore.StoredTime(now) },
            cancellationToken: cancel)) == 1;
    }

    public async Task SetCleanupStartedAsync(long repositoryId, DateTimeOffset at, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE container_repositories SET expiration_policy_started_at = @at WHERE id = @repositoryId",
            new { repositoryId, at = SqlKeyStore.StoredTime(at) },
            cancellationToken: cancel));
    }
}

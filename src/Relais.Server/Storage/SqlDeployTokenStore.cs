using System.Globalization;
using Dapper;

namespace Relais.Server.Storage;

/// <summary>The <see cref="IDeployTokenStore"/> over SQLite or PostgreSQL.</summary>
internal sealed class SqlDeployTokenStore(IDatabase db) : IDeployTokenStore
{
    private const string Columns = "id, project_id, name, username, token_hash, scopes, expires_at, revoked, created_at, sealed_token";

    public async Task<DeployTokenRecord> AddAsync(DeployTokenRecord token, DateTimeOffset now, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        await using var c = await db.OpenAsync(cancel);
        await using var tx = await c.BeginTransactionAsync(cancel);
        var id = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO deploy_tokens (project_id, name, username, token_hash, scopes, expires_at, revoked, created_at, sealed_token)
            VALUES (@ProjectId, @Name, @Username, @TokenHash, @Scopes, @ExpiresAt, FALSE, @now, @SealedToken) RETURNING id
            """,
            new { token.ProjectId, token.Name, token.Username, token.TokenHash, token.Scopes, token.ExpiresAt, now, token.SealedToken },
            tx,
            cancellationToken: cancel));
        if (token.Username.Length == 0)
        {
            var username = "gitlab+deploy-token-" + id.ToString(CultureInfo.InvariantCulture);
            await c.ExecuteAsync(new CommandDefinition("UPDATE deploy_tokens SET username = @username WHERE id = @id", new { username, id }, tx, cancellationToken: cancel));
        }

        await tx.CommitAsync(cancel);
        return (await GetAsync(token.ProjectId, id, cancel))!;
    }

    public async Task<IReadOnlyList<DeployTokenRecord>> ListAsync(long? projectId, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return [.. await c.QueryAsync<DeployTokenRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM deploy_tokens WHERE @projectId IS NULL OR project_id = @projectId ORDER BY id", new { projectId }, cancellationToken: cancel))];
    }

    public async Task<DeployTokenRecord?> GetAsync(long projectId, long id, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.QuerySingleOrDefaultAsync<DeployTokenRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM deploy_tokens WHERE id = @id AND project_id = @projectId", new { id, projectId }, cancellationToken: cancel));
    }

    public async Task<DeployTokenRecord?> FindByHashAsync(string tokenHash, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.QuerySingleOrDefaultAsync<DeployTokenRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM deploy_tokens WHERE token_hash = @tokenHash", new { tokenHash }, cancellationToken: cancel));
    }

    public async Task<bool> RevokeAsync(long projectId, long id, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.ExecuteAsync(new CommandDefinition(
            "UPDATE deploy_tokens SET revoked = TRUE, sealed_token = NULL WHERE id = @id AND project_id = @projectId AND revoked = FALSE",
            new { id, projectId },
            cancellationToken: cancel)) == 1;
    }
}

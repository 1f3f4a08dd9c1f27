using Dapper;
using Relais.Server.Security;

namespace Relais.Server.Storage;

/// <summary>The <see cref="IClusterStore"/> over SQLite or PostgreSQL (<c>clusters</c>; the token sealed with the server's key).</summary>
internal sealed class SqlClusterStore(IDatabase db, SecretBox secrets) : IClusterStore
{
    private const string Columns = """
        id, project_id, user_id, name, domain, enabled, managed, environment_scope, namespace_per_environment, api_url,
        sealed_token, ca_cert, namespace, authorization_type, created_at, updated_at
        """;

    public async Task<ClusterRecord?> CreateAsync(ClusterRecord cluster, DateTimeOffset now, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        await using var c = await db.OpenAsync(cancel);
        var id = await c.ExecuteScalarAsync<long?>(new CommandDefinition(
            """
            INSERT INTO clusters (project_id, user_id, name, domain, enabled, managed, environment_scope, namespace_per_environment,
                api_url, sealed_token, ca_cert, namespace, authorization_type, created_at, updated_at)
            VALUES (@ProjectId, @UserId, @Name, @Domain, @Enabled, @Managed, @EnvironmentScope, @NamespacePerEnvironment,
                @ApiUrl, @SealedToken, @CaCert, @Namespace, @AuthorizationType, @at, @at)
            ON CONFLICT DO NOTHING RETURNING id
            """,
            Parameters(cluster, now),
            cancellationToken: cancel));
        return id is { } made ? await GetAsync(cluster.ProjectId, made, cancel) : null;
    }

    public async Task<IReadOnlyList<ClusterRecord>> ListAsync(long projectId, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        var rows = await c.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM clusters WHERE project_id = @projectId ORDER BY id", new { projectId }, cancellationToken: cancel));
        return [.. rows.Select(Open)];
    }

    public async Task<ClusterRecord?> GetAsync(long projectId, long id, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        var row = await c.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM clusters WHERE id = @id AND project_id = @projectId", new { id, projectId }, cancellationToken: cancel));
        return row is null ? null : Open(row);
    }

    public async Task<bool> UpdateAsync(ClusterRecord cluster, DateTimeOffset now, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        await using var c = await db.OpenAsync(cancel);
        return await c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE clusters SET name = @Name, domain = @Domain, enabled = @Enabled, managed = @Managed, environment_scope = @EnvironmentScope,
                namespace_per_environment = @NamespacePerEnvironment, api_url = @ApiUrl, sealed_token = @SealedToken, ca_cert = @CaCert,
                namespace = @Namespace, authorization_type = @AuthorizationType, updated_at = @at
            WHERE id = @Id AND project_id = @ProjectId
                AND NOT EXISTS (SELECT 1 FROM clusters o WHERE o.project_id = @ProjectId AND o.environment_scope = @EnvironmentScope AND o.id <> @Id)
            """,
            Parameters(cluster, now),
            cancellationToken: cancel)) == 1;
    }

    public async Task<bool> DeleteAsync(long projectId, long id, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.ExecuteAsync(new CommandDefinition(
            "DELETE FROM clusters WHERE id = @id AND project_id = @projectId", new { id, projectId }, cancellationToken: cancel)) == 1;
    }

    private DynamicParameters Parameters(ClusterRecord k, DateTimeOffset now)
    {
        var p = new DynamicParameters(new
        {
            k.Id, k.ProjectId, k.UserId, k.Name, k.Domain, k.Enabled, k.Managed, k.EnvironmentScope, k.NamespacePerEnvironment,
            k.ApiUrl, k.CaCert, k.Namespace, k.AuthorizationType,
        });
        p.Add("SealedToken", secrets.Protect(k.Token));
        p.Add("at", SqlKeyStore.StoredTime(now));
        return p;
    }

    private ClusterRecord Open(Row r) => new()
    {
        Id = r.Id,
        ProjectId = r.ProjectId,
        UserId = r.UserId,
        Name = r.Name,
        Domain = r.Domain,
        Enabled = r.Enabled,
        Managed = r.Managed,
        EnvironmentScope = r.EnvironmentScope,
        NamespacePerEnvironment = r.NamespacePerEnvironment,
        ApiUrl = r.ApiUrl,
        Token = secrets.Unprotect(r.SealedToken),
        CaCert = r.CaCert,
        Namespace = r.Namespace,
        AuthorizationType = r.AuthorizationType,
        CreatedAt = r.CreatedAt,
        UpdatedAt = r.UpdatedAt,
    };

    private sealed class Row
    {
        public long Id { get; init; }

        public long ProjectId { get; init; }

        public long? UserId { get; init; }

        public string Name { get; init; } = "";

        public string? Domain { get; init; }

        public bool Enabled { get; init; }

        public bool Managed { get; init; }

        public string EnvironmentScope { get; init; } = "*";

        public bool NamespacePerEnvironment { get; init; }

        public string ApiUrl { get; init; } = "";

        public string SealedToken { get; init; } = "";

        public string? CaCert { get; init; }

        public string? Namespace { get; init; }

        public string AuthorizationType { get; init; } = "rbac";

        public string CreatedAt { get; init; } = "";

        public string UpdatedAt { get; init; } = "";
    }
}

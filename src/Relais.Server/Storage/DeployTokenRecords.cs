namespace Relais.Server.Storage;

/// <summary>
/// One deploy token row: a project's credential for git over HTTP (and, later, its registries), known by the hash of
/// its value only. <see cref="SealedToken"/> keeps the value itself, encrypted, only for the token named
/// <c>gitlab-deploy-token</c>, whose value jobs receive as <c>CI_DEPLOY_PASSWORD</c>.
/// </summary>
public sealed record DeployTokenRecord
{
    public long Id { get; init; }

    public long ProjectId { get; init; }

    public string Name { get; init; } = "";

    public string Username { get; init; } = "";

    public string TokenHash { get; init; } = "";

    /// <summary>GitLab's scope names, comma-separated.</summary>
    public string Scopes { get; init; } = "";

    /// <summary>UTC, <c>yyyy-MM-ddTHH:mm:ss.fffZ</c> (compares as text), or null: never.</summary>
    public string? ExpiresAt { get; init; }

    public bool Revoked { get; init; }

    /// <summary>As the database returns it (see <c>ApiJson.Time</c>).</summary>
    public string? CreatedAt { get; init; }

    /// <summary>The value, encrypted with the server's secret key (<c>SecretBox</c>); null for every token but <c>gitlab-deploy-token</c>.</summary>
    public string? SealedToken { get; init; }

    public IReadOnlyList<string> ScopeList => Scopes.Split(',', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Whether the token has expired at <paramref name="now"/> (stored as text that compares as time).</summary>
    public bool IsExpired(DateTimeOffset now) => ExpiresAt is { } at && string.CompareOrdinal(at, SqlKeyStore.StoredTime(now)) <= 0;

    /// <summary>Neither revoked nor expired.</summary>
    public bool IsActive(DateTimeOffset now) => !Revoked && !IsExpired(now);
}

namespace Relais.Server.Storage;

/// <summary>
/// Deploy tokens (table <c>deploy_tokens</c>). Every method may be called concurrently; each call is its own
/// transaction. A revoked token stays (listed with <c>revoked</c>) but no longer authenticates.
/// </summary>
public interface IDeployTokenStore
{
    /// <summary>
    /// Inserts the token (its <see cref="DeployTokenRecord.Id"/> is ignored) and returns it with its id; an empty
    /// <see cref="DeployTokenRecord.Username"/> becomes GitLab's default, <c>gitlab+deploy-token-ID</c>.
    /// </summary>
    Task<DeployTokenRecord> AddAsync(DeployTokenRecord token, DateTimeOffset now, CancellationToken cancel = default);

    /// <summary>A project's tokens (<paramref name="projectId"/> null: every project's), oldest first.</summary>
    Task<IReadOnlyList<DeployTokenRecord>> ListAsync(long? projectId, CancellationToken cancel = default);

    Task<DeployTokenRecord?> GetAsync(long projectId, long id, CancellationToken cancel = default);

    /// <summary>The token with this hash, revoked and expired ones included (the caller decides); null when none.</summary>
    Task<DeployTokenRecord?> FindByHashAsync(string tokenHash, CancellationToken cancel = default);

    /// <summary>Revokes one of the project's tokens; false when it has no such token or it was revoked already.</summary>
    Task<bool> RevokeAsync(long projectId, long id, CancellationToken cancel = default);
}

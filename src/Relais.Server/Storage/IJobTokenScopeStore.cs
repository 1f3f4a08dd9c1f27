namespace Relais.Server.Storage;

/// <summary>
/// The CI/CD job token's inbound scope of each project (GitLab's "Limit access to this project"): when enabled (the
/// default), only job tokens of the project itself and of the projects on its allowlist may reach it. Every method
/// may be called concurrently; each call is its own transaction.
/// </summary>
public interface IJobTokenScopeStore
{
    /// <summary>Whether a job of <paramref name="sourceProjectId"/> may use its token on <paramref name="projectId"/>: the same project, an allowlisted one, or any when the project's scope is off.</summary>
    Task<bool> AllowsAsync(long projectId, long sourceProjectId, CancellationToken cancel = default);

    /// <summary>Whether the project limits job tokens to its allowlist (<c>inbound_enabled</c>).</summary>
    Task<bool> IsEnabledAsync(long projectId, CancellationToken cancel = default);

    Task SetEnabledAsync(long projectId, bool enabled, CancellationToken cancel = default);

    /// <summary>The projects whose job tokens may reach <paramref name="projectId"/>, in the order they were added.</summary>
    Task<IReadOnlyList<long>> ListAllowedAsync(long projectId, CancellationToken cancel = default);

    /// <summary>Adds <paramref name="allowedProjectId"/> to the allowlist; false when it was on it already.</summary>
    Task<bool> AddAllowedAsync(long projectId, long allowedProjectId, DateTimeOffset now, CancellationToken cancel = default);

    /// <summary>Removes <paramref name="allowedProjectId"/> from the allowlist; false when it was not on it.</summary>
    Task<bool> RemoveAllowedAsync(long projectId, long allowedProjectId, CancellationToken cancel = default);
}

namespace Relais.Server.Storage;

/// <summary>Environments (<c>environments</c>), per project.</summary>
public interface IEnvironmentStore
{
    /// <summary>The environment named <paramref name="name"/>, made (available, with this slug and tier) if it does not exist yet.</summary>
    Task<EnvironmentRecord> EnsureAsync(long projectId, string name, string slug, string tier, DateTimeOffset now, CancellationToken cancel = default);

    /// <summary>Makes an environment; null when the project has one of that name or slug already.</summary>
    Task<EnvironmentRecord?> CreateAsync(EnvironmentRecord environment, DateTimeOffset now, CancellationToken cancel = default);

    Task<EnvironmentRecord?> GetAsync(long id, CancellationToken cancel = default);

    Task<EnvironmentRecord?> FindAsync(long projectId, string name, CancellationToken cancel = default);

    /// <summary>The project's environments matching <paramref name="filter"/>, by name.</summary>
    Task<IReadOnlyList<EnvironmentRecord>> ListAsync(long projectId, EnvironmentFilter filter, CancellationToken cancel = default);

    /// <summary>Saves the external URL, tier and Kubernetes namespace of <paramref name="environment"/> (by its id).</summary>
    Task<bool> UpdateAsync(EnvironmentRecord environment, DateTimeOffset now, CancellationToken cancel = default);

    /// <summary>Moves the environment to <paramref name="state"/>; when <paramref name="from"/> is given, only from that state (false otherwise).</summary>
    Task<bool> SetStateAsync(long id, string state, DateTimeOffset now, string? from = null, CancellationToken cancel = default);

    Task SetAutoStopAtAsync(long id, DateTimeOffset? at, DateTimeOffset now, CancellationToken cancel = default);

    /// <summary>Available environments whose auto-stop time has come (any project), oldest first.</summary>
    Task<IReadOnlyList<EnvironmentRecord>> ListAutoStopDueAsync(DateTimeOffset now, int limit, CancellationToken cancel = default);

    /// <summary>Deletes the environment and its deployments.</summary>
    Task<bool> DeleteAsync(long id, CancellationToken cancel = default);
}

namespace Relais.Server.Storage;

/// <summary>
/// Projects' Kubernetes settings (<see cref="ClusterRecord"/>), at most one per project and environment scope. Every
/// method may be called concurrently; each call is its own transaction.
/// </summary>
public interface IClusterStore
{
    /// <summary>Stores a new setting (id and times filled in); null when the project has one with that environment scope.</summary>
    Task<ClusterRecord?> CreateAsync(ClusterRecord cluster, DateTimeOffset now, CancellationToken cancel = default);

    /// <summary>The project's settings, oldest first.</summary>
    Task<IReadOnlyList<ClusterRecord>> ListAsync(long projectId, CancellationToken cancel = default);

    /// <summary>The setting <paramref name="id"/> of the project, or null.</summary>
    Task<ClusterRecord?> GetAsync(long projectId, long id, CancellationToken cancel = default);

    /// <summary>Saves every field but the project, owner and creation time; false when it is gone or another setting of the project has its environment scope.</summary>
    Task<bool> UpdateAsync(ClusterRecord cluster, DateTimeOffset now, CancellationToken cancel = default);

    /// <summary>Deletes the setting; false when it did not exist.</summary>
    Task<bool> DeleteAsync(long projectId, long id, CancellationToken cancel = default);
}

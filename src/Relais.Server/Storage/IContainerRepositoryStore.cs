namespace Relais.Server.Storage;

/// <summary>
/// The repositories of projects' container registries (issue #15). A repository is recorded the first time a push
/// token is issued for it, as GitLab does; its tags live in the registry itself. Every method may be called
/// concurrently; each call is its own transaction.
/// </summary>
public interface IContainerRepositoryStore
{
    /// <summary>The repository <paramref name="name"/> of <paramref name="projectId"/>, recorded now when it was not yet.</summary>
    Task<ContainerRepositoryRecord> EnsureAsync(long projectId, string name, DateTimeOffset now, CancellationToken cancel = default);

    Task<ContainerRepositoryRecord?> GetAsync(long id, CancellationToken cancel = default);

    /// <summary>The project's repositories, by name.</summary>
    Task<IReadOnlyList<ContainerRepositoryRecord>> ListAsync(long projectId, CancellationToken cancel = default);

    /// <summary>Forgets a repository (its tags must have been deleted from the registry first); false when it was not there.</summary>
    Task<bool> DeleteAsync(long id, CancellationToken cancel = default);
}

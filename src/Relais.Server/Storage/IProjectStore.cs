namespace Relais.Server.Storage;

/// <summary>Projects, their stored CI configuration and their protected branches and tags. Every method may be called concurrently; each call is its own transaction.</summary>
public interface IProjectStore
{
    Task<ProjectRecord> EnsureProjectAsync(string path, string defaultBranch, DateTimeOffset now, CancellationToken cancel = default);

    Task<ProjectRecord?> GetProjectAsync(long id, CancellationToken cancel = default);

    Task<IReadOnlyList<ProjectRecord>> ListProjectsAsync(CancellationToken cancel = default);

    Task<ProjectRecord?> FindProjectAsync(string path, CancellationToken cancel = default);

    /// <summary>Creates a project; null when the path is taken (by a project or a group).</summary>
    Task<ProjectRecord?> CreateProjectAsync(string path, string defaultBranch, string visibility, DateTimeOffset now, CancellationToken cancel = default);

    Task SetProjectVisibilityAsync(long projectId, string visibility, CancellationToken cancel = default);

    /// <summary>Marks the project trusted (its jobs may run unisolated) or not; only administrators may ask for it.</summary>
    Task SetProjectTrustedAsync(long projectId, bool trusted, CancellationToken cancel = default);

    /// <summary>Whether instance runners take the project's jobs (<see cref="ProjectRecord.SharedRunnersEnabled"/>).</summary>
    Task SetSharedRunnersEnabledAsync(long projectId, bool enabled, CancellationToken cancel = default);

    /// <summary>The project's stored <c>.gitlab-ci.yml</c> (used to run a pipeline for a ref until git hosting provides the file).</summary>
    Task<string?> GetCiConfigAsync(long projectId, CancellationToken cancel = default);

    /// <summary>The project's protected branches (names and wildcard patterns), by name.</summary>
    Task<IReadOnlyList<ProtectedBranchRecord>> ListProtectedBranchesAsync(long projectId, CancellationToken cancel = default);

    /// <summary>Protects a branch (or pattern); null when it is protected already.</summary>
    Task<ProtectedBranchRecord?> ProtectBranchAsync(ProtectedBranchRecord branch, DateTimeOffset now, CancellationToken cancel = default);

    /// <summary>Unprotects a branch (or pattern); false when it was not protected.</summary>
    Task<bool> UnprotectBranchAsync(long projectId, string name, CancellationToken cancel = default);

    /// <summary>Replaces a protected branch's levels, force push and grants (found by its id); false when it is gone.</summary>
    Task<bool> UpdateProtectedBranchAsync(ProtectedBranchRecord branch, CancellationToken cancel = default);

    /// <summary>The project's protected tags (names and wildcard patterns), by name.</summary>
    Task<IReadOnlyList<ProtectedTagRecord>> ListProtectedTagsAsync(long projectId, CancellationToken cancel = default);

    /// <summary>Protects a tag (or pattern); null when it is protected already.</summary>
    Task<ProtectedTagRecord?> ProtectTagAsync(ProtectedTagRecord tag, DateTimeOffset now, CancellationToken cancel = default);

    /// <summary>Unprotects a tag (or pattern); false when it was not protected.</summary>
    Task<bool> UnprotectTagAsync(long projectId, string name, CancellationToken cancel = default);
}

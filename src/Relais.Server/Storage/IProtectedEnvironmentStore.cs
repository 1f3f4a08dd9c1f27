namespace Relais.Server.Storage;

/// <summary>A project's protected environments (<c>protected_environments</c> and their <c>protected_environment_deploy_access_levels</c>).</summary>
public interface IProtectedEnvironmentStore
{
    /// <summary>A page of the project's protected environments by name, and how many there are.</summary>
    Task<(IReadOnlyList<ProtectedEnvironmentRecord> Page, int Total)> ListAsync(long projectId, int offset, int limit, CancellationToken cancel = default);

    Task<ProtectedEnvironmentRecord?> FindAsync(long projectId, string name, CancellationToken cancel = default);

    /// <summary>Protects <see cref="ProtectedEnvironmentRecord.Name"/>; null when it already is.</summary>
    Task<ProtectedEnvironmentRecord?> CreateAsync(ProtectedEnvironmentRecord environment, DateTimeOffset now, CancellationToken cancel = default);

    /// <summary>Saves the required approvals and the access levels (those with id 0 are added, stored ones missing from the record removed).</summary>
    Task UpdateAsync(ProtectedEnvironmentRecord environment, CancellationToken cancel = default);

    Task<bool> DeleteAsync(long id, CancellationToken cancel = default);
}

/// <summary>The approvals and rejections of deployments (<c>deployment_approvals</c>).</summary>
public interface IDeploymentApprovalStore
{
    /// <summary>
    /// Records <paramref name="userId"/>'s answer: a new one, or the user's earlier one changed (its comment is kept
    /// when the status stays, as GitLab does). Answers the stored approval.
    /// </summary>
    Task<DeploymentApprovalRecord> SaveAsync(long deploymentId, long userId, string status, string? comment, DateTimeOffset now, CancellationToken cancel = default);

    Task<IReadOnlyList<DeploymentApprovalRecord>> ListAsync(long deploymentId, CancellationToken cancel = default);
}

namespace Relais.Server.Storage;

/// <summary>
/// Projects' container image cleanup policies (issue #15, <c>container_expiration_policies</c>) and when the policy
/// last started on each repository. A due run is claimed with a conditional update of <c>next_run_at</c>
/// (<see cref="ClaimRunAsync"/>), so one coordinator of several runs it. Each call is its own transaction.
/// </summary>
public interface IContainerExpirationPolicyStore
{
    /// <summary>The project's stored policy, or null when it never set one (GitLab's defaults apply).</summary>
    Task<ContainerExpirationPolicyRecord?> GetAsync(long projectId, CancellationToken cancel = default);

    /// <summary>Stores the project's policy (created or replaced), <see cref="ContainerExpirationPolicyRecord.NextRunAt"/> included.</summary>
    Task SaveAsync(ContainerExpirationPolicyRecord policy, DateTimeOffset now, CancellationToken cancel = default);

    /// <summary>The enabled policies whose next run is at or before <paramref name="now"/>, the most overdue first.</summary>
    Task<IReadOnlyList<ContainerExpirationPolicyRecord>> ListDueAsync(DateTimeOffset now, int limit, CancellationToken cancel = default);

    /// <summary>Claims the run due at <paramref name="due"/> by moving the next run to <paramref name="next"/>, only if nobody moved it first.</summary>
    Task<bool> ClaimRunAsync(long projectId, string due, string next, DateTimeOffset now, CancellationToken cancel = default);

    /// <summary>Records that the cleanup policy started on a repository (GitLab's <c>cleanup_policy_started_at</c>).</summary>
    Task SetCleanupStartedAsync(long repositoryId, DateTimeOffset at, CancellationToken cancel = default);
}

using Relais.Server.Api;
using Relais.Server.Auth;
using Relais.Server.Storage;

namespace Relais.Server.Environments;

/// <summary>
/// Who may deploy to (and approve deployments to) a protected environment, as GitLab's deploy access levels: an
/// administrator always; else anyone one of its levels names: a role (the user's role on the project, from the same
/// memberships the API's <see cref="ApiCaller"/> reads, at least the level: 30 Developers and Maintainers, 40 Maintainers,
/// 60 administrators only), the user itself, or a direct member of the group.
/// </summary>
public sealed class DeployAccess(AggregateStores stores, TimeProvider time)
{
    /// <summary>The project's protection of <paramref name="environmentName"/>, or null when it has none.</summary>
    public Task<ProtectedEnvironmentRecord?> ProtectionAsync(long projectId, string environmentName, CancellationToken cancel) =>
        stores.ProtectedEnvironments.FindAsync(projectId, environmentName, cancel);

    public async Task<bool> AllowsAsync(ProtectedEnvironmentRecord protection, long? userId, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(protection);
        if (userId is not { } id || await stores.Identity.GetUserAsync(id, cancel) is not { } user
            || await stores.Projects.GetProjectAsync(protection.ProjectId, cancel) is not { } project)
        {
            return false;
        }

        if (user.IsAdmin)
        {
            return true;
        }

        var role = (await ApiCaller.WithMembershipsAsync(user, null, stores.Members, time.GetUtcNow(), cancel)).LevelIn(project);
        foreach (var level in protection.DeployAccessLevels)
        {
            if ((level.AccessLevel is { } needed && (int)role >= needed)
                || level.UserId == user.Id
                || (level.GroupId is { } group && await stores.Members.GetMemberAsync(MemberSource.Group, group, user.Id, cancel) is not null))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether a deployment to <paramref name="protection"/> still waits for approvals: approvals are required, fewer
    /// users approved than required, and nobody rejected it (a rejection ends it instead).
    /// </summary>
    public async Task<bool> AwaitsApprovalAsync(ProtectedEnvironmentRecord protection, DeploymentRecord deployment, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(protection);
        ArgumentNullException.ThrowIfNull(deployment);
        if (protection.RequiredApprovalCount <= 0)
        {
            return false;
        }

        var answers = await stores.DeploymentApprovals.ListAsync(deployment.Id, cancel);
        return !answers.Any(a => a.Status == DeploymentApprovalStatuses.Rejected)
            && answers.Count(a => a.Status == DeploymentApprovalStatuses.Approved) < protection.RequiredApprovalCount;
    }

    /// <summary>Whether someone rejected the deployment.</summary>
    public async Task<bool> RejectedAsync(DeploymentRecord deployment, CancellationToken cancel) =>
        (await stores.DeploymentApprovals.ListAsync(deployment.Id, cancel)).Any(a => a.Status == DeploymentApprovalStatuses.Rejected);

    /// <summary>
    /// Moves a <c>created</c> deployment whose job is waiting to run to <c>blocked</c> when its environment needs
    /// approvals it does not have yet (GitLab blocks it when the job is enqueued). True when it is (now) blocked.
    /// </summary>
    public async Task<bool> BlockIfAwaitingAsync(DeploymentRecord deployment, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        if (deployment.Status is not (DeploymentStatuses.Created or DeploymentStatuses.Blocked)
            || await stores.Environments.GetAsync(deployment.EnvironmentId, cancel) is not { } environment
            || await ProtectionAsync(deployment.ProjectId, environment.Name, cancel) is not { } protection
            || !await AwaitsApprovalAsync(protection, deployment, cancel))
        {
            return false;
        }

        return deployment.Status == DeploymentStatuses.Blocked
            || await stores.Deployments.UpdateStatusAsync(deployment.Id, DeploymentStatuses.Blocked, time.GetUtcNow(), cancel);
    }
}

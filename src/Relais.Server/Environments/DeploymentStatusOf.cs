using Relais.Protocol;
using Relais.Server.Storage;

namespace Relais.Server.Environments;

/// <summary>
/// The deployment status a deploy job's status moves its deployment to, as GitLab syncs them: running, success, failed,
/// canceled and skipped carry over; a job not started yet (created, pending, manual, scheduled…) leaves it as it is (null).
/// </summary>
public static class DeploymentStatusOf
{
    public static string? Job(CiStatus status) => status switch
    {
        CiStatus.Running => DeploymentStatuses.Running,
        CiStatus.Success => DeploymentStatuses.Success,
        CiStatus.Failed => DeploymentStatuses.Failed,
        CiStatus.Canceled => DeploymentStatuses.Canceled,
        CiStatus.Skipped => DeploymentStatuses.Skipped,
        _ => null,
    };

    /// <summary>Whether a deployment moving to <paramref name="status"/> sends a deployment hook (GitLab's deployment events).</summary>
    public static bool IsHooked(string status) =>
        status is DeploymentStatuses.Running or DeploymentStatuses.Success or DeploymentStatuses.Failed or DeploymentStatuses.Canceled;
}

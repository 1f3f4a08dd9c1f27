using Relais.Driver;
using Relais.Engine;
using Relais.Protocol;
using Relais.Server.Queue;
using Relais.Server.Storage;

namespace Relais.Server.Environments;

/// <summary>What <see cref="DeploymentApprovals.AnswerAsync"/> did: the stored approval, or GitLab's words for why not.</summary>
public sealed record ApprovalAnswer(DeploymentApprovalRecord? Approval, string? Error);

/// <summary>
/// Approving or rejecting a blocked deployment, as GitLab's <c>Deployments::ApprovalService</c>: the environment must be
/// protected with required approvals, the user allowed to deploy there, the deployment <c>blocked</c>, and the user who
/// caused it may reject it but not approve it. Once enough users approved, the deployment is <c>created</c> again and
/// its job handed out to the next runner that asks; a rejection fails the job (<c>deployment_rejected</c>), which fails
/// the deployment.
/// </summary>
public sealed class DeploymentApprovals(AggregateStores stores, DeployAccess access, PipelineDriver driver, QueueSignal signal, TimeProvider time)
{
    public const string UnknownStatus = "Unrecognized approval status.";
    public const string NotProtected = "This environment is not protected.";
    public const string NotConfigured = "Deployment approvals is not configured for this environment.";
    public const string NoPermission = "You don't have permission to approve this deployment. Contact the project or group owner for help.";
    public const string NotBlocked = "This deployment is not waiting for approvals.";
    public const string SelfApproval = "You cannot approve your own deployment. This configuration can be adjusted in the protected environment settings.";

    public async Task<ApprovalAnswer> AnswerAsync(DeploymentRecord deployment, long userId, string status, string? comment, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        if (status is not (DeploymentApprovalStatuses.Approved or DeploymentApprovalStatuses.Rejected))
        {
            return new(null, UnknownStatus);
        }

        if (await stores.Environments.GetAsync(deployment.EnvironmentId, cancel) is not { } environment
            || await access.ProtectionAsync(deployment.ProjectId, environment.Name, cancel) is not { } protection)
        {
            return new(null, NotProtected);
        }

        if (protection.RequiredApprovalCount <= 0)
        {
            return new(null, NotConfigured);
        }

        if (!await access.AllowsAsync(protection, userId, cancel))
        {
            return new(null, NoPermission);
        }

        if (deployment.Status != DeploymentStatuses.Blocked)
        {
            return new(null, NotBlocked);
        }

        if (deployment.UserId == userId && status == DeploymentApprovalStatuses.Approved)
        {
            return new(null, SelfApproval);
        }

        var approval = await stores.DeploymentApprovals.SaveAsync(deployment.Id, userId, status, comment, time.GetUtcNow(), cancel);
        if (status == DeploymentApprovalStatuses.Rejected)
        {
            await RejectJobAsync(deployment, cancel);
        }
        else if (!await access.AwaitsApprovalAsync(protection, deployment, cancel))
        {
            await stores.Deployments.UpdateStatusAsync(deployment.Id, DeploymentStatuses.Created, time.GetUtcNow(), cancel);
            signal.Notify(); // its job may go to a runner now
        }

        return new(approval, null);
    }

    private async Task RejectJobAsync(DeploymentRecord deployment, CancellationToken cancel)
    {
        if (deployment.JobId is { } jobId && await stores.Pipelines.GetJobAsync(jobId, cancel) is { } job && !job.Status.IsCompleted())
        {
            await driver.ApplyAsync(job.PipelineId, JobFinished.Failure(time.GetUtcNow(), job.Name, job.Attempt, ProtectedEnvironmentCheck.RejectedReason));
        }
        else
        {
            await stores.Deployments.UpdateStatusAsync(deployment.Id, DeploymentStatuses.Failed, time.GetUtcNow(), cancel);
        }
    }
}

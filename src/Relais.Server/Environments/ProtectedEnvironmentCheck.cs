using Relais.Dispatch;
using Relais.Driver;
using Relais.Engine;
using Relais.Server.Queue;
using Relais.Server.Storage;

namespace Relais.Server.Environments;

/// <summary>
/// Protected environments, checked when a runner asks for a job: a job whose <c>environment:</c> (any action) names a
/// protected environment of its project is failed with <see cref="Reason"/> when the user who caused its pipeline may
/// not deploy there (<see cref="DeployAccess"/>); a deploy job whose environment needs approvals waits (its deployment
/// <c>blocked</c>, the job left pending and passed by) until enough users approved it, and is failed with
/// <see cref="RejectedReason"/> when one rejected it.
/// </summary>
public sealed class ProtectedEnvironmentCheck(AggregateStores stores, DeploymentSync sync, DeployAccess access, PipelineDriver driver, TimeProvider time) : IHandOutCheck
{
    /// <summary>GitLab's failure reason for a job its user may not run on a protected environment.</summary>
    public const string Reason = "protected_environment_failure";

    /// <summary>GitLab's words for <see cref="Reason"/>.</summary>
    public const string Message = "The environment this job is deploying to is protected. Only users with permission may successfully run this job.";

    /// <summary>GitLab's failure reason for a deploy job whose deployment was rejected.</summary>
    public const string RejectedReason = "deployment_rejected";

    public async Task<bool> DroppedAsync(JobRecord job, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (await stores.Pipelines.GetPipelineStateAsync(job.PipelineId, cancel) is not { State: { } state } snapshot
            || state.Plan.Job(job.Name) is not { Environment: not null } plan
            || JobEnvironments.Resolve(plan, sync.Context(snapshot.Row)) is not { } resolved
            || await access.ProtectionAsync(job.ProjectId, resolved.Name, cancel) is not { } protection)
        {
            return false;
        }

        if (!await access.AllowsAsync(protection, snapshot.Row.UserId, cancel))
        {
            return await FailAsync(job, Reason);
        }

        if (!resolved.Deploys || protection.RequiredApprovalCount <= 0)
        {
            return false;
        }

        var own = await stores.Deployments.FindByJobAsync(job.Id, cancel);
        if (own is null)
        {
            await sync.SyncAsync(job.PipelineId, cancel); // the background pass has not reached this job yet
            own = await stores.Deployments.FindByJobAsync(job.Id, cancel);
        }

        if (own is null)
        {
            return true; // no deployment to approve yet: wait for it
        }

        if (await access.RejectedAsync(own, cancel))
        {
            return await FailAsync(job, RejectedReason);
        }

        return await access.BlockIfAwaitingAsync(own, cancel);
    }

    private async Task<bool> FailAsync(JobRecord job, string reason)
    {
        await driver.ApplyAsync(job.PipelineId, JobFinished.Failure(time.GetUtcNow(), job.Name, job.Attempt, reason));
        return true;
    }
}

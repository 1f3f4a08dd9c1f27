using Relais.Dispatch;
using Relais.Driver;
using Relais.Engine;
using Relais.Server.Queue;
using Relais.Server.Storage;

namespace Relais.Server.Environments;

/// <summary>
/// GitLab's "prevent outdated deployment jobs", checked when a runner asks for a job: a deploy job whose deployment is
/// older (a lower id) than the environment's last successful deployment, of another commit, is not handed out but
/// failed with <see cref="Reason"/> ("The deployment job is older than the latest deployment, and therefore failed.").
/// A retried deploy job (a rollback) has a new deployment, so it runs; when the project does not allow rollbacks
/// (<c>ci_forward_deployment_rollback_allowed</c> off) a deploy job of an older pipeline than the last successful
/// deployment's is dropped too, retried or not. Off with <c>ci_forward_deployment_enabled</c>.
/// </summary>
public sealed class OutdatedDeploymentCheck(AggregateStores stores, DeploymentSync sync, PipelineDriver driver, TimeProvider time) : IHandOutCheck
{
    /// <summary>GitLab's failure reason (it replaced <c>forward_deployment_failure</c>, kept in its enum as deprecated).</summary>
    public const string Reason = "failed_outdated_deployment_job";

    public async Task<bool> DroppedAsync(JobRecord job, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (!await IsOutdatedAsync(job, cancel))
        {
            return false;
        }

        await driver.ApplyAsync(job.PipelineId, JobFinished.Failure(time.GetUtcNow(), job.Name, job.Attempt, Reason));
        return true;
    }

    public async Task<bool> IsOutdatedAsync(JobRecord job, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (await stores.Pipelines.GetPipelineStateAsync(job.PipelineId, cancel) is not { State: { } state } snapshot
            || state.Plan.Job(job.Name) is not { Environment: not null } plan)
        {
            return false;
        }

        var settings = await stores.DeploymentSettings.GetAsync(job.ProjectId, cancel);
        if (!settings.ForwardDeploymentEnabled
            || JobEnvironments.Resolve(plan, sync.Context(snapshot.Row)) is not { Deploys: true } resolved
            || await stores.Environments.FindAsync(job.ProjectId, resolved.Name, cancel) is not { } environment
            || await stores.Deployments.LastAsync(environment.Id, DeploymentStatuses.Success, cancel) is not { } last)
        {
            return false;
        }

        var own = await stores.Deployments.FindByJobAsync(job.Id, cancel);
        if (own is null)
        {
            await sync.SyncAsync(job.PipelineId, cancel); // the background pass has not reached this job yet
            own = await stores.Deployments.FindByJobAsync(job.Id, cancel);
        }

        if (own is null || own.Id == last.Id || own.Sha == last.Sha)
        {
            return false;
        }

        return own.Id < last.Id || (!settings.ForwardDeploymentRollbackAllowed && own.PipelineId < last.PipelineId);
    }
}

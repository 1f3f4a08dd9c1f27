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
public sealed class OutdatedDeploymentCheck(AggregateStores stores)
{
    /// <summary>GitLab's failure reason (it replaced <c>forward_deployment_failure</c>, kept in its enum as deprecated).</summary>
    public const string Reason = "failed_outdated_deployment_job";

    public async Task<DeployVerdict> CheckAsync(DeployCandidate candidate, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var job = candidate.Job;
        var settings = await stores.DeploymentSettings.GetAsync(job.ProjectId, cancel);
        if (!settings.ForwardDeploymentEnabled
            || !candidate.Environment.Deploys
            || await stores.Environments.FindAsync(job.ProjectId, candidate.Environment.Name, cancel) is not { } environment
            || await stores.Deployments.LastAsync(environment.Id, DeploymentStatuses.Success, cancel) is not { } last
            || await candidate.DeploymentAsync(cancel) is not { } own
            || own.Id == last.Id || own.Sha == last.Sha)
        {
            return DeployVerdict.Pass;
        }

        var outdated = own.Id < last.Id || (!settings.ForwardDeploymentRollbackAllowed && own.PipelineId < last.PipelineId);
        return outdated ? DeployVerdict.Fail(Reason) : DeployVerdict.Pass;
    }
}

using Relais.Server.Pipelines;
using Relais.Server.Storage;

namespace Relais.Server.Environments;

/// <summary>
/// Redeploys earlier deployments (rollback: the retry of the deployment's job, as the job's retry button does, which
/// makes a new deployment) and records the status of deployments made outside a job, with what follows
/// (<see cref="DeploymentEffects"/>: hook, URL, auto-stop, state).
/// </summary>
public sealed class DeploymentActions(AggregateStores stores, UserActions jobs, DeploymentEffects effects, TimeProvider time)
{
    public async Task<RedeployOutcome> RedeployAsync(DeploymentRecord deployment, long? userId, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        if (deployment.JobId is not { } jobId || await stores.Pipelines.GetJobAsync(jobId, cancel) is not { } job)
        {
            return new RedeployOutcome(null, "the deployment has no job to run again");
        }

        if (!DeploymentStatuses.IsFinished(deployment.Status))
        {
            return new RedeployOutcome(null, "the deployment is not finished");
        }

        // The job may have been retried since: its latest attempt is the one retried (the same commit, the same job).
        var latest = (await stores.Pipelines.JobsOfPipelineAsync(job.PipelineId, cancel)).Where(j => j.Name == job.Name).MaxBy(j => j.Attempt) ?? job;
        var (accepted, shown) = await jobs.OnJobAsync(latest, JobAction.Retry, cancel);
        return accepted ? new RedeployOutcome(shown.Id) : new RedeployOutcome(null, "the job cannot be retried now");
    }

    public async Task<bool> SetStatusAsync(DeploymentRecord deployment, string status, long? userId, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var now = time.GetUtcNow();
        if (deployment.Status == status)
        {
            return await stores.Deployments.UpdateStatusAsync(deployment.Id, status, now, cancel);
        }

        if (!await stores.Deployments.UpdateStatusAsync(deployment.Id, status, now, cancel)
            || await stores.Environments.GetAsync(deployment.EnvironmentId, cancel) is not { } environment)
        {
            return false;
        }

        var users = new PipelineUsers(stores.Identity);
        var user = await users.OfAsync(await users.RecordedAsync(userId ?? deployment.UserId, cancel), cancel);
        await effects.ApplyAsync(new DeploymentMove(deployment with { Status = status }, environment, status, now, null, null, user, ""), cancel);
        return true;
    }
}

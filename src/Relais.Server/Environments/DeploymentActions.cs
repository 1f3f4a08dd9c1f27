using Relais.Server.Storage;

namespace Relais.Server.Environments;

/// <summary>Redeploys earlier deployments (rollback) and records the status of deployments made outside a job.</summary>
public sealed class DeploymentActions(AggregateStores stores, TimeProvider time)
{
    public async Task<RedeployOutcome> RedeployAsync(DeploymentRecord deployment, long? userId, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        return deployment.JobId is { } jobId && await stores.Pipelines.GetJobAsync(jobId, cancel) is not null
            ? new RedeployOutcome(null, "redeploying is not available yet")
            : new RedeployOutcome(null, "the deployment has no job to run again");
    }

    public async Task<bool> SetStatusAsync(DeploymentRecord deployment, string status, long? userId, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        return await stores.Deployments.UpdateStatusAsync(deployment.Id, status, time.GetUtcNow(), cancel);
    }
}

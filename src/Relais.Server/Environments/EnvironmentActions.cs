using Relais.Server.Storage;

namespace Relais.Server.Environments;

/// <summary>The <see cref="IEnvironmentActions"/> of the coordinator.</summary>
public sealed class EnvironmentActions(AggregateStores stores, TimeProvider time) : IEnvironmentActions
{
    public async Task<EnvironmentStopOutcome> StopAsync(EnvironmentRecord environment, long? userId, bool force, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(environment);
        await stores.Environments.SetStateAsync(environment.Id, EnvironmentStates.Stopped, time.GetUtcNow(), cancel: cancel);
        return new EnvironmentStopOutcome(true, null);
    }

    public Task<RedeployOutcome> RedeployAsync(DeploymentRecord deployment, long? userId, CancellationToken cancel) =>
        Task.FromResult(new RedeployOutcome(null, "redeploying is not available yet"));

    public async Task<bool> SetStatusAsync(DeploymentRecord deployment, string status, long? userId, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        return await stores.Deployments.UpdateStatusAsync(deployment.Id, status, time.GetUtcNow(), cancel);
    }
}

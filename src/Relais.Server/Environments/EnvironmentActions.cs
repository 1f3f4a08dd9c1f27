using Relais.Server.Storage;

namespace Relais.Server.Environments;

/// <summary>The <see cref="IEnvironmentActions"/> of the coordinator: stopping is <see cref="EnvironmentStopper"/>'s, the rest <see cref="DeploymentActions"/>'.</summary>
public sealed class EnvironmentActions(EnvironmentStopper stopper, DeploymentActions deployments) : IEnvironmentActions
{
    public Task<EnvironmentStopOutcome> StopAsync(EnvironmentRecord environment, long? userId, bool force, CancellationToken cancel) =>
        stopper.StopAsync(environment, userId, force, cancel);

    public Task<RedeployOutcome> RedeployAsync(DeploymentRecord deployment, long? userId, CancellationToken cancel) =>
        deployments.RedeployAsync(deployment, userId, cancel);

    public Task<bool> SetStatusAsync(DeploymentRecord deployment, string status, long? userId, CancellationToken cancel) =>
        deployments.SetStatusAsync(deployment, status, userId, cancel);
}

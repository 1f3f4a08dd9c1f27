using Relais.Server.Storage;

namespace Relais.Server.Environments;

/// <summary>
/// Stops environments whose <c>auto_stop_in</c> has passed (<see cref="EnvironmentRecord.AutoStopAt"/>, set by their last
/// successful deployment): every <see cref="ServerOptions.AutoStopInterval"/> and once at start, as the user of their last
/// deployment (GitLab's <c>Environments::AutoStopWorker</c>). Several coordinators may run it: the stopper's conditional
/// moves let only one of them stop each environment.
/// </summary>
internal sealed class EnvironmentAutoStop(IEnvironmentStore environments, IDeploymentStore deployments, EnvironmentStopper stopper, TimeProvider time, TextWriter log, TimeSpan interval)
{
    /// <summary>How many due environments one pass takes at most (the rest wait for the next pass).</summary>
    private const int Batch = 100;

    public void Start(CancellationToken stopping) =>
        _ = Reliability.PeriodicPass.RunAsync("stopping environments whose auto_stop_in passed", c => RunDueAsync(c), interval, time, log, stopping);

    /// <summary>Stops (or starts stopping) every environment due now; answers how many.</summary>
    public async Task<int> RunDueAsync(CancellationToken cancel = default)
    {
        var stopped = 0;
        foreach (var environment in await environments.ListAutoStopDueAsync(time.GetUtcNow(), Batch, cancel))
        {
            var last = await deployments.LastAsync(environment.Id, DeploymentStatuses.Success, cancel);
            if ((await stopper.StopAsync(environment, last?.UserId, force: false, cancel)).Error is null)
            {
                stopped++;
            }
        }

        return stopped;
    }
}

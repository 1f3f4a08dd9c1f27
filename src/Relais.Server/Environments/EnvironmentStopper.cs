using Relais.Server.Storage;

namespace Relais.Server.Environments;

/// <summary>Stops environments: from a person or the API, when their branch is deleted, and when <c>auto_stop_in</c> has passed.</summary>
public sealed class EnvironmentStopper(AggregateStores stores, TimeProvider time)
{
    public async Task<EnvironmentStopOutcome> StopAsync(EnvironmentRecord environment, long? userId, bool force, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(environment);
        await stores.Environments.SetStateAsync(environment.Id, EnvironmentStates.Stopped, time.GetUtcNow(), cancel: cancel);
        return new EnvironmentStopOutcome(true, null);
    }
}

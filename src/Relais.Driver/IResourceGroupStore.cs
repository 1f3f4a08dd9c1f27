using Relais.Engine;

namespace Relais.Driver;

/// <summary>
/// Where the driver keeps resource groups (<see cref="ResourceGroupState"/>: the holder, the claims, the mode).
/// Contract:
/// <list type="bullet">
/// <item><see cref="UpdateAsync"/> is load-modify-save of ONE group as one atomic unit: every caller on every
/// process sharing the store sees the group's updates one after the other (the server locks the group's row in
/// the transaction). A group that was never stored starts empty, in <see cref="ResourceProcessMode.Unordered"/>
/// mode (GitLab's default).</item>
/// <item>The store scopes a group name: <paramref name="pipelineId"/> names the pipeline whose job uses it (the
/// server keys groups by that pipeline's project; the memory store has one scope).</item>
/// <item>Calls for any groups may run concurrently. <c>decide</c> is pure and quick and may be called again if
/// the store retries.</item>
/// <item>The driver never holds a group's update open while it waits for a pipeline, so a store may take a
/// group's lock while a pipeline's is held (never the other way round).</item>
/// </list>
/// </summary>
public interface IResourceGroupStore
{
    /// <summary>Loads the group, applies <paramref name="decide"/>, saves the new state and returns the step.</summary>
    Task<ResourceGroupStep> UpdateAsync(long pipelineId, string group, Func<ResourceGroupState, ResourceGroupStep> decide, CancellationToken cancel = default);
}

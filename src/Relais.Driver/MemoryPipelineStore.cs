using Relais.Engine;

namespace Relais.Driver;

/// <summary>
/// Pipelines and resource groups in memory, for <c>relais run</c> and tests: one scope of group names (every
/// pipeline shares a group of the same name). Safe for concurrent calls; each method is atomic under one lock and
/// runs <c>decide</c> under it (it is pure and quick). A <see cref="JobClaim"/> is not checked (there are no job
/// rows): the engine's own rules guard a start.
/// </summary>
public sealed class MemoryPipelineStore : IPipelineStateStore, IResourceGroupStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<long, PipelineState> _pipelines = [];
    private readonly Dictionary<string, ResourceGroupState> _groups = new(StringComparer.Ordinal);

    /// <summary>The pipeline's current state, or null.</summary>
    public PipelineState? Get(long pipelineId)
    {
        lock (_lock)
        {
            return _pipelines.GetValueOrDefault(pipelineId);
        }
    }

    /// <summary>The group's current state, or null when it was never used.</summary>
    public ResourceGroupState? Group(string group)
    {
        lock (_lock)
        {
            return _groups.GetValueOrDefault(group);
        }
    }

    public Task<EngineStep?> TransitionAsync(long pipelineId, Func<PipelineState?, EngineStep> decide, JobClaim? claim = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(decide);
        lock (_lock)
        {
            var step = decide(_pipelines.GetValueOrDefault(pipelineId));
            if (!step.Accepted)
            {
                return Task.FromResult<EngineStep?>(null);
            }

            _pipelines[pipelineId] = step.State;
            return Task.FromResult<EngineStep?>(step);
        }
    }

    public Task<ResourceGroupStep> UpdateAsync(long pipelineId, string group, Func<ResourceGroupState, ResourceGroupStep> decide, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(decide);
        lock (_lock)
        {
            var step = decide(_groups.GetValueOrDefault(group) ?? new ResourceGroupState { Key = group });
            _groups[group] = step.State;
            return Task.FromResult(step);
        }
    }
}

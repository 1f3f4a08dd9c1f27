using Relais.Engine;
using Relais.Protocol;

namespace Relais.Server.Storage;

/// <summary>
/// Parsed engine states of recently used pipelines, each with the row <c>version</c> it was read or written at. A
/// cached state is used only when the stored version still matches, so another coordinator writing the same pipeline
/// simply causes a re-read. Bounded: past <see cref="Capacity"/> entries the finished pipelines go first, then the
/// oldest.
/// </summary>
internal sealed class PipelineStateCache(int capacity = 512)
{
    private readonly Dictionary<long, (long Version, PipelineState State)> _entries = [];
    private readonly Lock _gate = new();

    public int Capacity => capacity;

    /// <summary>The cached state and its version, or (-1, null) when none is cached. One read, so the pair always belongs together.</summary>
    public (long Version, PipelineState? State) Get(long pipelineId)
    {
        lock (_gate)
        {
            return _entries.TryGetValue(pipelineId, out var e) ? (e.Version, e.State) : (-1, null);
        }
    }

    public void Put(long pipelineId, long version, PipelineState state)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(pipelineId, out var e) && e.Version > version)
            {
                return;
            }

            _entries[pipelineId] = (version, state);
            if (_entries.Count > capacity)
            {
                Evict();
            }
        }
    }

    /// <summary>Forgets a deleted pipeline's state.</summary>
    public void Remove(long pipelineId)
    {
        lock (_gate)
        {
            _entries.Remove(pipelineId);
        }
    }

    private void Evict()
    {
        var victims = _entries.Where(e => e.Value.State.Status.IsCompleted()).Select(e => e.Key).ToList();
        if (victims.Count == 0)
        {
            victims.Add(_entries.Keys.Min());
        }

        foreach (var id in victims)
        {
            _entries.Remove(id);
        }
    }
}

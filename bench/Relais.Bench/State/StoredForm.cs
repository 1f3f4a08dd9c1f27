using Relais.Engine;
using Relais.Server.Storage.State;

namespace Relais.Bench.State;

/// <summary>The three parts the store keeps for a pipeline: the plan, the pipeline's own fields, one row per job attempt.</summary>
internal sealed record SavedState(string Plan, string Header, IReadOnlyList<string> Jobs);

/// <summary>The store's (de)serialisation of a state, called as <c>SqlPipelineStore</c> calls it.</summary>
internal static class StoredForm
{
    public static SavedState Save(PipelineState state) =>
        new(StoredStateJson.Write(state.Plan), StoredStateJson.WriteHeader(state), [.. state.Jobs.Select(StoredStateJson.Write)]);

    public static PipelineState Load(SavedState saved) =>
        StoredStateJson.ReadState(saved.Header, StoredStateJson.ReadPlan(saved.Plan), saved.Jobs.Select(StoredStateJson.ReadJob));

    /// <summary>What one event writes: the pipeline's fields and every job attempt that changed.</summary>
    public static long EventBytes(PipelineState before, PipelineState after) =>
        StoredStateJson.WriteHeader(after).Length
        + AttemptPairs.Of(before.Jobs, after.Jobs).Where(p => p.Before is null || p.Before != p.After).Sum(p => (long)StoredStateJson.Write(p.After).Length);
}

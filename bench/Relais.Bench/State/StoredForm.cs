using Relais.Engine;
using Relais.Server.Storage.Json;

namespace Relais.Bench.State;

/// <summary>The three parts the store keeps for a pipeline: the plan, the pipeline's own fields, one row per job attempt.</summary>
internal sealed record SavedState(string Plan, string Header, IReadOnlyList<string> Jobs);

/// <summary>The store's (de)serialisation of a state, called as <c>SqlStore</c> calls it.</summary>
internal static class StoredForm
{
    public static SavedState Save(PipelineState state) =>
        new(StateJson.Write(state.Plan), StateJson.WriteHeader(state), [.. state.Jobs.Select(StateJson.Write)]);

    public static PipelineState Load(SavedState saved)
    {
        var plan = StateJson.ReadPlan(saved.Plan);
        return StateJson.ReadProgress(saved.Header, plan) with { Jobs = [.. saved.Jobs.Select(StateJson.ReadJob)] };
    }

    /// <summary>What one event writes: the pipeline's fields and every job attempt that changed.</summary>
    public static long EventBytes(PipelineState before, PipelineState after) =>
        StateJson.WriteHeader(after).Length
        + AttemptPairs.Of(before.Jobs, after.Jobs).Where(p => p.Before is null || p.Before != p.After).Sum(p => (long)StateJson.Write(p.After).Length);
}

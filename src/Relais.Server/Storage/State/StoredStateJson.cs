using System.Text.Json;
using System.Text.Json.Serialization;
using Relais.Engine;
using Relais.Pipelines.Plan;

namespace Relais.Server.Storage.State;

/// <summary>
/// The JSON of the stored state (<see cref="StoredPipelineState"/>): snake_case, false, zero and absent values left
/// out, through source-generated serializers (no reflection). Reading a row of another layout version fails: rows of
/// older layouts are rewritten once, by the migration that introduced the new one (<see cref="StoredStateMigration"/>).
/// </summary>
internal static class StoredStateJson
{
    public static string Write(PipelinePlan plan) =>
        JsonSerializer.Serialize(StoredPlanMapping.ToStored(plan), StoredStateJsonContext.Default.StoredPlanV1);

    public static PipelinePlan ReadPlan(string json) =>
        StoredPlanMapping.FromStored(Checked(JsonSerializer.Deserialize(json, StoredStateJsonContext.Default.StoredPlanV1), s => s.Version, "plan"));

    /// <summary>The pipeline's own fields, without its plan and its jobs.</summary>
    public static string WriteHeader(PipelineState state) =>
        JsonSerializer.Serialize(StoredStateMapping.ToStored(state), StoredStateJsonContext.Default.StoredPipelineStateV1);

    /// <summary>A state from its pipeline fields (<see cref="WriteHeader"/>), its plan and its job rows.</summary>
    public static PipelineState ReadState(string headerJson, PipelinePlan plan, IEnumerable<JobState> jobs) =>
        StoredStateMapping.FromStored(
            Checked(JsonSerializer.Deserialize(headerJson, StoredStateJsonContext.Default.StoredPipelineStateV1), s => s.Version, "pipeline state"),
            plan,
            jobs);

    public static string Write(JobState job) =>
        JsonSerializer.Serialize(StoredStateMapping.ToStored(job), StoredStateJsonContext.Default.StoredJobStateV1);

    public static JobState ReadJob(string json) =>
        StoredStateMapping.FromStored(Checked(JsonSerializer.Deserialize(json, StoredStateJsonContext.Default.StoredJobStateV1), s => s.Version, "job state"));

    private static T Checked<T>(T? stored, Func<T, int> version, string what)
        where T : class =>
        stored is null ? throw new JsonException($"the stored {what} is null")
        : version(stored) != StoredPipelineState.Version
            ? throw new JsonException($"the stored {what} has layout version {version(stored)}, not {StoredPipelineState.Version}")
            : stored;
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault)]
[JsonSerializable(typeof(StoredPlanV1))]
[JsonSerializable(typeof(StoredPipelineStateV1))]
[JsonSerializable(typeof(StoredJobStateV1))]
internal sealed partial class StoredStateJsonContext : JsonSerializerContext;

using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Relais.Engine;
using Relais.Pipelines.Context;
using Relais.Pipelines.Diagnostics;
using Relais.Pipelines.Plan;

namespace Relais.Server.Storage.Json;

/// <summary>
/// The JSON the store keeps for a pipeline: the engine's <see cref="PipelineState"/> (with its compiled plan),
/// the <see cref="PipelineContext"/> its jobs are dispatched with, and compile diagnostics. Computed
/// properties (no setter) and delegates are left out; everything else round-trips.
/// </summary>
internal static class StateJson
{
    private static readonly JsonSerializerOptions Options = Create(withPlan: true);
    private static readonly JsonSerializerOptions ProgressOptions = Create(withPlan: false);
    private static readonly JsonSerializerOptions HeaderOptions = Create(withPlan: false, withJobs: false);

    /// <summary>The whole state, its plan included.</summary>
    public static string Write(PipelineState state) => JsonSerializer.Serialize(state, Options);

    /// <summary>A whole state, its plan included (what <see cref="Write(PipelineState)"/> wrote).</summary>
    public static PipelineState ReadState(string json) =>
        JsonSerializer.Deserialize<PipelineState>(json, Options) ?? throw new JsonException("the stored pipeline state is null");

    /// <summary>
    /// The state without its plan: what changes with every event. The plan never changes after a pipeline is created,
    /// so the store writes it once (<see cref="Write(PipelinePlan)"/>) and this, much smaller, on every transition.
    /// </summary>
    public static string WriteProgress(PipelineState state) => JsonSerializer.Serialize(state, ProgressOptions);

    /// <summary>
    /// A state written by <see cref="WriteProgress"/> or <see cref="WriteHeader"/>, joined again with its
    /// <paramref name="plan"/>. From a header its <see cref="PipelineState.Jobs"/> is empty: they are in the job rows.
    /// </summary>
    public static PipelineState ReadProgress(string json, PipelinePlan plan) =>
        (JsonSerializer.Deserialize<PipelineState>(json, ProgressOptions) ?? throw new JsonException("the stored pipeline state is null")) with { Plan = plan };

    /// <summary>
    /// The pipeline's own part of a state, without its plan and its jobs: the store keeps each <see cref="JobState"/>
    /// in its job row (<see cref="Write(JobState)"/>), so an event writes the jobs it changed, not all of them.
    /// </summary>
    public static string WriteHeader(PipelineState state) => JsonSerializer.Serialize(state, HeaderOptions);

    public static string Write(JobState job) => JsonSerializer.Serialize(job, Options);

    public static JobState ReadJob(string json) =>
        JsonSerializer.Deserialize<JobState>(json, Options) ?? throw new JsonException("the stored job state is null");

    public static string Write(PipelinePlan plan) => JsonSerializer.Serialize(plan, Options);

    public static PipelinePlan ReadPlan(string json) =>
        JsonSerializer.Deserialize<PipelinePlan>(json, Options) ?? throw new JsonException("the stored pipeline plan is null");

    public static string Write(PipelineContext context) => JsonSerializer.Serialize(context, Options);

    public static PipelineContext ReadContext(string json) =>
        JsonSerializer.Deserialize<PipelineContext>(json, Options) ?? throw new JsonException("the stored pipeline context is null");

    public static string Write(IReadOnlyList<Diagnostic> diagnostics) => JsonSerializer.Serialize(diagnostics, Options);

    public static IReadOnlyList<Diagnostic> ReadDiagnostics(string json) =>
        JsonSerializer.Deserialize<List<Diagnostic>>(json, Options) ?? [];

    private static JsonSerializerOptions Create(bool withPlan, bool withJobs = true)
    {
        var resolver = new DefaultJsonTypeInfoResolver();
        resolver.Modifiers.Add(DropComputedAndDelegates);
        if (!withPlan)
        {
            resolver.Modifiers.Add(info => Drop(info, nameof(PipelineState.Plan)));
        }

        if (!withJobs)
        {
            resolver.Modifiers.Add(info => Drop(info, nameof(PipelineState.Jobs)));
        }

        var options = new JsonSerializerOptions
        {
            TypeInfoResolver = resolver,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        options.Converters.Add(new YamlNodeJsonConverter());
        options.Converters.Add(new ImmutableArrayJsonConverter());
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly();
        return options;
    }

    private static void Drop(JsonTypeInfo info, string property)
    {
        if (info.Type == typeof(PipelineState))
        {
            info.Properties.Remove(info.Properties.First(p => p.Name == property));
        }
    }

    private static void DropComputedAndDelegates(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        for (var i = info.Properties.Count - 1; i >= 0; i--)
        {
            var p = info.Properties[i];
            if (p.Set is null || typeof(Delegate).IsAssignableFrom(p.PropertyType))
            {
                info.Properties.RemoveAt(i);
            }
        }
    }
}

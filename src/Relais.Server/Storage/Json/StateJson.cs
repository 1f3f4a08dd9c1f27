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

    /// <summary>A state written by <see cref="WriteProgress"/>, joined again with its <paramref name="plan"/>.</summary>
    public static PipelineState ReadProgress(string json, PipelinePlan plan) =>
        (JsonSerializer.Deserialize<PipelineState>(json, ProgressOptions) ?? throw new JsonException("the stored pipeline state is null")) with { Plan = plan };

    public static string Write(PipelinePlan plan) => JsonSerializer.Serialize(plan, Options);

    public static PipelinePlan ReadPlan(string json) =>
        JsonSerializer.Deserialize<PipelinePlan>(json, Options) ?? throw new JsonException("the stored pipeline plan is null");

    public static string Write(PipelineContext context) => JsonSerializer.Serialize(context, Options);

    public static PipelineContext ReadContext(string json) =>
        JsonSerializer.Deserialize<PipelineContext>(json, Options) ?? throw new JsonException("the stored pipeline context is null");

    public static string Write(IReadOnlyList<Diagnostic> diagnostics) => JsonSerializer.Serialize(diagnostics, Options);

    public static IReadOnlyList<Diagnostic> ReadDiagnostics(string json) =>
        JsonSerializer.Deserialize<List<Diagnostic>>(json, Options) ?? [];

    private static JsonSerializerOptions Create(bool withPlan)
    {
        var resolver = new DefaultJsonTypeInfoResolver();
        resolver.Modifiers.Add(DropComputedAndDelegates);
        if (!withPlan)
        {
            resolver.Modifiers.Add(DropPlan);
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

    private static void DropPlan(JsonTypeInfo info)
    {
        if (info.Type == typeof(PipelineState))
        {
            var plan = info.Properties.First(p => p.Name == nameof(PipelineState.Plan));
            info.Properties.Remove(plan);
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

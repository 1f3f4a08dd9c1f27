using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Relais.Engine;
using Relais.Pipelines.Plan;
using Relais.Server.Storage.Json;

namespace Relais.Server.Storage.State.Legacy;

/// <summary>
/// Reads the layouts the store wrote before <see cref="StoredPipelineState"/>: the engine's types serialised by
/// reflection (PascalCase, enums by name), with the plan's YAML values as nodes (<see cref="LegacyPlanShapes"/>). Used
/// only by <see cref="StoredStateMigration"/>, which rewrites every such row once.
/// </summary>
internal static class LegacyStateJson
{
    private static readonly JsonSerializerOptions Whole = Create(withPlan: true);
    private static readonly JsonSerializerOptions Progress = Create(withPlan: false);

    /// <summary>The oldest layout: the whole state, plan and jobs included, in <c>pipelines.state_json</c>.</summary>
    public static PipelineState ReadWhole(string json)
    {
        var node = JsonNode.Parse(json)?.AsObject() ?? throw new JsonException("the stored pipeline state is null");
        LegacyPlanShapes.Upgrade(node["Plan"]?.AsObject() ?? throw new JsonException("the stored pipeline state has no plan"));
        return node.Deserialize<PipelineState>(Whole) ?? throw new JsonException("the stored pipeline state is null");
    }

    public static PipelinePlan ReadPlan(string json)
    {
        var node = JsonNode.Parse(json)?.AsObject() ?? throw new JsonException("the stored pipeline plan is null");
        LegacyPlanShapes.Upgrade(node);
        return node.Deserialize<PipelinePlan>(Whole) ?? throw new JsonException("the stored pipeline plan is null");
    }

    /// <summary>The pipeline's row without its plan: with every job inside (the second layout) or none (the third).</summary>
    public static PipelineState ReadProgress(string json, PipelinePlan plan) =>
        (JsonSerializer.Deserialize<PipelineState>(json, Progress) ?? throw new JsonException("the stored pipeline state is null")) with { Plan = plan };

    public static JobState ReadJob(string json) =>
        JsonSerializer.Deserialize<JobState>(json, Whole) ?? throw new JsonException("the stored job state is null");

    private static JsonSerializerOptions Create(bool withPlan)
    {
        var resolver = new DefaultJsonTypeInfoResolver();
        resolver.Modifiers.Add(StateJson.DropComputedAndDelegates);
        if (!withPlan)
        {
            resolver.Modifiers.Add(info =>
            {
                if (info.Type == typeof(PipelineState))
                {
                    info.Properties.Remove(info.Properties.First(p => p.Name == nameof(PipelineState.Plan)));
                }
            });
        }

        var options = new JsonSerializerOptions { TypeInfoResolver = resolver, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };
        options.Converters.Add(new ImmutableArrayJsonConverter());
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly();
        return options;
    }

    /// <summary>Reads null as a default (uninitialised) <see cref="ImmutableArray{T}"/>, as the old layouts wrote it.</summary>
    private sealed class ImmutableArrayJsonConverter : JsonConverterFactory
    {
        public override bool CanConvert(Type typeToConvert) =>
            typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(ImmutableArray<>);

        public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
            (JsonConverter)Activator.CreateInstance(typeof(Typed<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]))!;

        private sealed class Typed<T> : JsonConverter<ImmutableArray<T>>
        {
            public override bool HandleNull => true;

            public override ImmutableArray<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
                reader.TokenType == JsonTokenType.Null ? default : [.. JsonSerializer.Deserialize<List<T>>(ref reader, options)!];

            public override void Write(Utf8JsonWriter writer, ImmutableArray<T> value, JsonSerializerOptions options) =>
                throw new NotSupportedException("the old layouts are only read");
        }
    }
}

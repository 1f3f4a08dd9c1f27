using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Relais.Pipelines.Context;
using Relais.Pipelines.Diagnostics;

namespace Relais.Server.Storage.Json;

/// <summary>
/// The JSON the store keeps beside a pipeline's state: the <see cref="PipelineContext"/> its jobs are dispatched with,
/// and compile diagnostics. Computed properties (no setter) and delegates are left out; everything else round-trips.
/// The state itself is explicit, versioned records (<see cref="State.StoredStateJson"/>).
/// </summary>
internal static class StateJson
{
    private static readonly JsonSerializerOptions Options = Create();

    public static string Write(PipelineContext context) => JsonSerializer.Serialize(context, Options);

    public static PipelineContext ReadContext(string json) =>
        JsonSerializer.Deserialize<PipelineContext>(json, Options) ?? throw new JsonException("the stored pipeline context is null");

    public static string Write(IReadOnlyList<Diagnostic> diagnostics) => JsonSerializer.Serialize(diagnostics, Options);

    public static IReadOnlyList<Diagnostic> ReadDiagnostics(string json) =>
        JsonSerializer.Deserialize<List<Diagnostic>>(json, Options) ?? [];

    private static JsonSerializerOptions Create()
    {
        var resolver = new DefaultJsonTypeInfoResolver();
        resolver.Modifiers.Add(DropComputedAndDelegates);
        var options = new JsonSerializerOptions
        {
            TypeInfoResolver = resolver,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly();
        return options;
    }

    /// <summary>Leaves out computed properties (no setter) and delegates.</summary>
    internal static void DropComputedAndDelegates(JsonTypeInfo info)
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

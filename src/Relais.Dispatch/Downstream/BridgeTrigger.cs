using System.Text.Json.Nodes;
using Relais.Pipelines.Plan;

namespace Relais.Dispatch.Downstream;

/// <summary>
/// A bridge job's <c>trigger</c>, read from the plan: a multi-project trigger (<see cref="Project"/>, <see cref="Branch"/>)
/// or a child pipeline (<see cref="Includes"/>: each <c>trigger:include</c> entry as a mapping, a plain string made
/// <c>local:</c>), with <c>strategy: depend</c> and <c>forward</c> (GitLab's defaults: YAML variables yes, pipeline variables no).
/// </summary>
public sealed record BridgeTrigger(
    string? Project, string? Branch, bool Depend, bool ForwardYamlVariables, bool ForwardPipelineVariables, IReadOnlyList<JsonObject> Includes)
{
    /// <summary>How many child pipelines deep a pipeline may be (GitLab: a parent, its child and the child's child).</summary>
    public const int MaxChildDepth = 2;

    public bool IsChild => Project is null;

    public static BridgeTrigger From(TriggerPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var written = JsonNode.Parse(plan.Written.Json);
        var forward = (written as JsonObject)?["forward"] as JsonObject;
        var includes = (written as JsonObject)?["include"] switch
        {
            JsonArray list => list.Select(Entry).OfType<JsonObject>().ToList(),
            JsonNode one => Entry(one) is { } entry ? [entry] : [],
            null => [],
        };
        return new BridgeTrigger(
            plan.Project,
            plan.Branch,
            string.Equals(plan.Strategy, "depend", StringComparison.Ordinal),
            Flag(forward?["yaml_variables"]) ?? true,
            Flag(forward?["pipeline_variables"]) ?? false,
            includes);
    }

    private static JsonObject? Entry(JsonNode? node) => node switch
    {
        JsonObject map => (JsonObject)map.DeepClone(),
        JsonValue value when value.TryGetValue<string>(out var path) => new JsonObject { ["local"] = path },
        _ => null,
    };

    private static bool? Flag(JsonNode? node) => node is JsonValue v && v.TryGetValue<bool>(out var b) ? b : null;
}

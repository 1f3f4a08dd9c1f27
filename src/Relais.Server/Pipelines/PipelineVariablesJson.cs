using System.Text.Json;
using Relais.Pipelines.Context;
using Relais.Server.Storage;

namespace Relais.Server.Pipelines;

/// <summary>A pipeline's own variables (those given when it was created, not the project's) as the store keeps them: JSON <see cref="PipelineVariableRecord"/>s.</summary>
internal static class PipelineVariablesJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    /// <summary>The JSON for <paramref name="variables"/> (a masked one is left out: no secret in plain text); null when there are none.</summary>
    public static string? Write(IReadOnlyList<ContextVariable> variables) =>
        variables.All(v => v.Masked) ? null : JsonSerializer.Serialize(variables.Where(v => !v.Masked).Select(v => new PipelineVariableRecord(v.Key, v.Value, v.File ? "file" : "env_var", v.Raw)).ToList(), Options);

    /// <summary>The stored variables; none for null or unreadable JSON.</summary>
    public static IReadOnlyList<PipelineVariableRecord> Read(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize<List<PipelineVariableRecord>>(json, Options) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}

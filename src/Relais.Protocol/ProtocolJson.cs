using System.Text.Json;
using System.Text.Json.Serialization;
using Relais.Protocol.Jobs;
using Relais.Protocol.Requests;

namespace Relais.Protocol;

/// <summary>
/// Source-generated System.Text.Json metadata for the wire types: snake_case names, nulls left out, unknown
/// fields ignored (as Go's decoder does). The wire types use <c>set</c> rather than <c>init</c> accessors on purpose:
/// the source generator sets every init-only property at construction, so a field missing from the JSON would
/// overwrite its default (<c>[]</c>, <c>""</c>) with null (dotnet/runtime#84484).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(JobResponse))]
[JsonSerializable(typeof(JobRequest))]
[JsonSerializable(typeof(UpdateJobRequest))]
public sealed partial class ProtocolJsonContext : JsonSerializerContext;

/// <summary>Serialization shortcuts over <see cref="ProtocolJsonContext"/>.</summary>
public static class ProtocolJson
{
    /// <summary>Reads a job payload.</summary>
    public static JobResponse ReadJob(string json) =>
        JsonSerializer.Deserialize(json, ProtocolJsonContext.Default.JobResponse)
        ?? throw new JsonException("the job payload is null");

    /// <summary>Reads a job payload from UTF-8 bytes.</summary>
    public static JobResponse ReadJob(ReadOnlySpan<byte> utf8Json) =>
        JsonSerializer.Deserialize(utf8Json, ProtocolJsonContext.Default.JobResponse)
        ?? throw new JsonException("the job payload is null");

    /// <summary>Writes a job payload.</summary>
    public static string Write(JobResponse job) => JsonSerializer.Serialize(job, ProtocolJsonContext.Default.JobResponse);

    /// <summary>Writes a job request body.</summary>
    public static string Write(JobRequest request) =>
        JsonSerializer.Serialize(request, ProtocolJsonContext.Default.JobRequest);

    /// <summary>Writes a job update body.</summary>
    public static string Write(UpdateJobRequest update) =>
        JsonSerializer.Serialize(update, ProtocolJsonContext.Default.UpdateJobRequest);
}

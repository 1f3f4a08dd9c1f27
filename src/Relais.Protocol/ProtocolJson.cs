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
[JsonSerializable(typeof(VerifyRunnerRequest))]
[JsonSerializable(typeof(RunnerRegistration))]
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

    /// <summary>Reads a <c>/runners/verify</c> body; null when it is not a JSON object of that shape.</summary>
    public static async Task<VerifyRunnerRequest?> ReadVerifyRequestAsync(Stream body, CancellationToken cancellationToken)
    {
        try
        {
            return await JsonSerializer.DeserializeAsync(body, ProtocolJsonContext.Default.VerifyRunnerRequest, cancellationToken);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Reads the answer to <c>/runners/verify</c>; null when it is not a JSON object of that shape.</summary>
    public static RunnerRegistration? ReadRegistration(string json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, ProtocolJsonContext.Default.RunnerRegistration);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Writes a <c>/runners/verify</c> body.</summary>
    public static string Write(VerifyRunnerRequest request) =>
        JsonSerializer.Serialize(request, ProtocolJsonContext.Default.VerifyRunnerRequest);

    /// <summary>Writes a job update body.</summary>
    public static string Write(UpdateJobRequest update) =>
        JsonSerializer.Serialize(update, ProtocolJsonContext.Default.UpdateJobRequest);
}

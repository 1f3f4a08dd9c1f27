using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Relais.Protocol;
using Relais.Protocol.Requests;

namespace Relais.Server.RunnerApi;

/// <summary>GitLab's error body.</summary>
public sealed record ErrorBody(string Message);

/// <summary>Source-generated JSON for the server's own small bodies (snake_case, as GitLab writes them).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ErrorBody))]
[JsonSerializable(typeof(Dictionary<string, string>))]
public sealed partial class ServerJsonContext : JsonSerializerContext;

/// <summary>Responses in GitLab's shapes: errors as <c>{"message": "401 Unauthorized"}</c> that say nothing about why.</summary>
internal static class ApiResults
{
    public static IResult Error(int status, string? detail = null)
    {
        var text = detail ?? status switch
        {
            400 => "400 Bad request",
            401 => "401 Unauthorized",
            403 => "403 Forbidden",
            404 => "404 Not Found",
            _ => status.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        return Results.Json(new ErrorBody(text), ServerJsonContext.Default.ErrorBody, statusCode: status);
    }

    public static IResult Registration(long id, string token, int status) =>
        Results.Json(new RunnerRegistration { Id = id, Token = token }, ProtocolJsonContext.Default.RunnerRegistration, "application/json", status);

    /// <summary>GitLab answers some job calls with the status code as a text body.</summary>
    public static IResult Code(int status) =>
        Results.Text(status.ToString(System.Globalization.CultureInfo.InvariantCulture), "text/plain", statusCode: status);
}

/// <summary>A request body's top-level fields as text, from JSON (arrays joined with commas) or a form.</summary>
internal static class BodyFields
{
    public static async Task<Dictionary<string, string>> ReadAsync(HttpRequest request)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        if (request.HasFormContentType)
        {
            foreach (var (key, value) in await Security.FormReader.ReadAsync(request))
            {
                fields[key.TrimEnd('[', ']')] = string.Join(',', value.ToArray());
            }

            return fields;
        }

        try
        {
            using var doc = await JsonDocument.ParseAsync(request.Body);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                return fields;
            }

            foreach (var p in doc.RootElement.EnumerateObject())
            {
                fields[p.Name] = p.Value.ValueKind switch
                {
                    JsonValueKind.String => p.Value.GetString()!,
                    JsonValueKind.Array => string.Join(',', p.Value.EnumerateArray().Select(e => e.ToString())),
                    JsonValueKind.True => "true",
                    JsonValueKind.False => "false",
                    _ => p.Value.GetRawText(),
                };
            }
        }
        catch (JsonException)
        {
            // An empty or malformed body has no fields; the caller answers 400 or 403 as for a missing token.
        }

        return fields;
    }
}

using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Relais.Pipelines.Context;

namespace Relais.Server.Api;

/// <summary>
/// The <c>variables</c> of <c>POST /projects/:id/trigger/pipeline</c>, as GitLab takes them: a map of key to value, as
/// <c>variables[KEY]=VALUE</c> in the query or a form body, or a JSON object <c>"variables": {"KEY": "VALUE"}</c>.
/// Anything but strings is GitLab's 400 "variables needs to be a map of key-valued strings".
/// </summary>
internal static class TriggerVariablesInput
{
    /// <summary>GitLab's message for variables that are not a map of strings.</summary>
    public const string NotAMap = "variables needs to be a map of key-valued strings";

    /// <summary>Reads the variables (query first, the body's override them); the error is what to answer with 400.</summary>
    public static async Task<(IReadOnlyList<ContextVariable> Variables, string? Error)> ReadAsync(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        Bracketed(request.Query.Select(q => (q.Key, q.Value.ToString())), map);
        if (request.HasFormContentType)
        {
            var form = await Security.FormReader.ReadAsync(request);
            Bracketed(form.Select(f => (f.Key, f.Value.ToString())), map);
        }
        else if ((request.ContentType ?? "").Contains("json", StringComparison.OrdinalIgnoreCase) && request.ContentLength is not 0)
        {
            if (await JsonMapAsync(request, map) is { } error)
            {
                return ([], error);
            }
        }

        foreach (var key in map.Keys)
        {
            if (key.Length == 0 || key.Length > 255 || !key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                return ([], "variables key is invalid: only letters, digits and _ (at most 255)");
            }
        }

        return ([.. map.Select(v => new ContextVariable(v.Key, v.Value))], null);
    }

    private static void Bracketed(IEnumerable<(string Key, string Value)> fields, Dictionary<string, string> map)
    {
        foreach (var (key, value) in fields)
        {
            if (key.StartsWith("variables[", StringComparison.Ordinal) && key.EndsWith(']') && key.Length > "variables[]".Length)
            {
                map[key["variables[".Length..^1]] = value;
            }
        }
    }

    private static async Task<string?> JsonMapAsync(HttpRequest request, Dictionary<string, string> map)
    {
        request.EnableBuffering();
        try
        {
            using var doc = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("variables", out var variables) || variables.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (variables.ValueKind != JsonValueKind.Object || variables.EnumerateObject().Any(v => v.Value.ValueKind != JsonValueKind.String))
            {
                return NotAMap;
            }

            foreach (var v in variables.EnumerateObject())
            {
                map[v.Name] = v.Value.GetString()!;
            }

            return null;
        }
        catch (JsonException)
        {
            return null; // a malformed body is the other fields' reader's to refuse
        }
        finally
        {
            request.Body.Position = 0;
        }
    }
}

using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Relais.Pipelines.Context;

namespace Relais.Server.Api;

/// <summary>
/// The <c>variables</c> of <c>POST /projects/:id/pipeline</c>, as GitLab takes them: a JSON array of
/// <c>{"key", "value", "variable_type"}</c> (<c>env_var</c>, the default, or <c>file</c>), or form fields
/// <c>variables[][key]</c>, <c>variables[][value]</c>, <c>variables[][variable_type]</c> in order. They come last in the
/// pipeline's variables, so they override the project's, as in GitLab.
/// </summary>
internal static class PipelineVariablesInput
{
    /// <summary>Reads the variables (none when the body has none); the error says what is wrong with them, GitLab's 400.</summary>
    public static async Task<(IReadOnlyList<ContextVariable> Variables, string? Error)> ReadAsync(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.HasFormContentType)
        {
            return Build(Rows(await Security.FormReader.ReadAsync(request)));
        }

        if (request.ContentLength is 0 || !(request.ContentType ?? "").Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            return ([], null);
        }

        request.EnableBuffering();
        try
        {
            using var doc = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("variables", out var list) || list.ValueKind == JsonValueKind.Null)
            {
                return ([], null);
            }

            if (list.ValueKind != JsonValueKind.Array || list.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.Object))
            {
                return ([], "variables is invalid");
            }

            return Build(list.EnumerateArray().Select(v => (Text(v, "key"), Text(v, "value"), (string?)Text(v, "variable_type"))));
        }
        catch (JsonException)
        {
            return ([], null); // a malformed body is the other fields' reader's to refuse
        }
        finally
        {
            request.Body.Position = 0;
        }
    }

    /// <summary>The same form fields from a form already read (the "Run pipeline" page), where rows left empty are no variables.</summary>
    public static (IReadOnlyList<ContextVariable> Variables, string? Error) FromForm(IFormCollection form) =>
        Build(Rows(form).Where(r => r.Key.Length > 0 || r.Value.Length > 0));

    private static IEnumerable<(string Key, string Value, string? Type)> Rows(IFormCollection form)
    {
        var keys = form["variables[][key]"];
        var values = form["variables[][value]"];
        var types = form["variables[][variable_type]"];
        return keys.Select((k, i) => (Key: k ?? "", Value: i < values.Count ? values[i] ?? "" : "", Type: i < types.Count ? types[i] : null));
    }

    private static (IReadOnlyList<ContextVariable>, string?) Build(IEnumerable<(string Key, string Value, string? Type)> pairs)
    {
        var variables = new List<ContextVariable>();
        foreach (var (key, value, type) in pairs)
        {
            if (key.Length == 0 || key.Length > 255 || !key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                return ([], "variables key is invalid: only letters, digits and _ (at most 255)");
            }

            if (type is not (null or "" or "env_var" or "file"))
            {
                return ([], "variables variable_type does not have a valid value");
            }

            variables.Add(new ContextVariable(key, value, File: type == "file"));
        }

        return (variables, null);
    }

    private static string Text(JsonElement item, string name) =>
        item.TryGetProperty(name, out var v) ? v.ValueKind == JsonValueKind.String ? v.GetString()! : v.ValueKind == JsonValueKind.Null ? "" : v.GetRawText() : "";
}

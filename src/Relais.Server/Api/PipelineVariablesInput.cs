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
    /// <summary>
    /// Reads the variables (none when the body has none); the error says what is wrong with them, GitLab's 400.
    /// <paramref name="field"/> names the list: <c>variables</c>, or <c>job_variables_attributes</c> when playing a job.
    /// </summary>
    public static async Task<(IReadOnlyList<ContextVariable> Variables, string? Error)> ReadAsync(HttpRequest request, string field = "variables")
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.HasFormContentType)
        {
            var form = await Security.FormReader.ReadAsync(request);
            var keys = form[field + "[][key]"];
            var values = form[field + "[][value]"];
            var types = form[field + "[][variable_type]"];
            var pairs = keys.Select((k, i) => (Key: k ?? "", Value: i < values.Count ? values[i] ?? "" : "", Type: i < types.Count ? types[i] : null));
            return Build(pairs, field);
        }

        if (request.ContentLength is 0 || !(request.ContentType ?? "").Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            return ([], null);
        }

        request.EnableBuffering();
        try
        {
            using var doc = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty(field, out var list) || list.ValueKind == JsonValueKind.Null)
            {
                return ([], null);
            }

            if (list.ValueKind != JsonValueKind.Array || list.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.Object))
            {
                return ([], field + " is invalid");
            }

            return Build(list.EnumerateArray().Select(v => (Text(v, "key"), Text(v, "value"), (string?)Text(v, "variable_type"))), field);
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

    /// <summary>Checks and builds the variables from key, value and type triples (a web form reads its own fields); the error names <paramref name="field"/>.</summary>
    public static (IReadOnlyList<ContextVariable> Variables, string? Error) Build(IEnumerable<(string Key, string Value, string? Type)> pairs, string field)
    {
        var variables = new List<ContextVariable>();
        foreach (var (key, value, type) in pairs)
        {
            if (key.Length == 0 || key.Length > 255 || !key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                return ([], field + " key is invalid: only letters, digits and _ (at most 255)");
            }

            if (type is not (null or "" or "env_var" or "file"))
            {
                return ([], field + " variable_type does not have a valid value");
            }

            variables.Add(new ContextVariable(key, value, File: type == "file"));
        }

        return (variables, null);
    }

    private static string Text(JsonElement item, string name) =>
        item.TryGetProperty(name, out var v) ? v.ValueKind == JsonValueKind.String ? v.GetString()! : v.ValueKind == JsonValueKind.Null ? "" : v.GetRawText() : "";

    /// <summary>The form fields <c>variables[][key]</c>, <c>[value]</c>, <c>[variable_type]</c> from a form already read (the "Run pipeline" page), where rows left empty are no variables.</summary>
    public static (IReadOnlyList<ContextVariable> Variables, string? Error) FromForm(IFormCollection form)
    {
        ArgumentNullException.ThrowIfNull(form);
        var keys = form["variables[][key]"];
        var values = form["variables[][value]"];
        var types = form["variables[][variable_type]"];
        var rows = keys.Select((k, i) => (Key: k ?? "", Value: i < values.Count ? values[i] ?? "" : "", Type: i < types.Count ? types[i] : null));
        return Build(rows.Where(r => r.Key.Length > 0 || r.Value.Length > 0), "variables");
    }
}

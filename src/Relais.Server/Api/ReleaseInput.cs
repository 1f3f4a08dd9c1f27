using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// The fields of a release or release link call, as GitLab takes them: the query and a JSON or form body, and the
/// asset links of a new release (<c>assets.links[]</c> in JSON; <c>assets[links][][name]</c>, <c>…[url]</c>,
/// <c>…[direct_asset_path]</c> (or <c>filepath</c>), <c>…[link_type]</c> as form fields, in order).
/// </summary>
internal sealed record ReleaseInput(IReadOnlyDictionary<string, string> Fields, IReadOnlyList<ReleaseLinkRecord> Links)
{
    /// <summary>GitLab's link types; anything else is a 400.</summary>
    public static readonly string[] LinkTypes = ["other", "runbook", "image", "package"];

    public string? this[string key] => Fields.TryGetValue(key, out var v) ? v : null;

    public static async Task<ReleaseInput> ReadAsync(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in request.Query)
        {
            fields[key] = value.ToString();
        }

        var links = new List<ReleaseLinkRecord>();
        if (request.HasFormContentType)
        {
            var form = await Security.FormReader.ReadAsync(request);
            foreach (var (key, value) in form)
            {
                fields[key] = value.ToString();
            }

            var names = form["assets[links][][name]"];
            var urls = form["assets[links][][url]"];
            var paths = form["assets[links][][direct_asset_path]"].Count > 0 ? form["assets[links][][direct_asset_path]"] : form["assets[links][][filepath]"];
            var types = form["assets[links][][link_type]"];
            links.AddRange(names.Select((n, i) => Link(n, At(urls, i), At(paths, i), At(types, i))));
        }
        else if (request.ContentLength is not 0 && (request.ContentType ?? "").Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            using var doc = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
            if (doc.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in doc.RootElement.EnumerateObject().Where(p => p.Value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array or JsonValueKind.Null)))
                {
                    fields[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText();
                }

                if (doc.RootElement.TryGetProperty("assets", out var assets) && assets.ValueKind == JsonValueKind.Object
                    && assets.TryGetProperty("links", out var list) && list.ValueKind == JsonValueKind.Array)
                {
                    links.AddRange(list.EnumerateArray().Where(l => l.ValueKind == JsonValueKind.Object).Select(l =>
                        Link(Text(l, "name"), Text(l, "url"), Text(l, "direct_asset_path") ?? Text(l, "filepath"), Text(l, "link_type"))));
                }
            }
        }

        return new ReleaseInput(fields, links);
    }

    /// <summary>A link from its fields, or with the fields <see cref="Problem"/> names missing.</summary>
    public static ReleaseLinkRecord Link(string? name, string? url, string? path, string? type) =>
        new() { Name = name ?? "", Url = url ?? "", DirectAssetPath = Path(path), LinkType = type is { Length: > 0 } t ? t : "other" };

    /// <summary>What is wrong with a link (GitLab's field errors), or null.</summary>
    public static (string Field, string Problem)? Problem(ReleaseLinkRecord link)
    {
        ArgumentNullException.ThrowIfNull(link);
        if (link.Name.Length == 0)
        {
            return ("name", "can't be blank");
        }

        if (!Uri.TryCreate(link.Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https" or "ftp"))
        {
            return ("url", "is blocked: Only allowed schemes are http, https, ftp");
        }

        return LinkTypes.Contains(link.LinkType) ? null : ("link_type", "is not included in the list");
    }

    /// <summary>A time field (ISO 8601), in UTC; null when absent, false when unreadable.</summary>
    public (DateTimeOffset? At, bool Valid) Time(string key) =>
        this[key] is not { Length: > 0 } text ? (null, true)
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? (at.ToUniversalTime(), true)
        : (null, false);

    private static string? Path(string? path) => path is { Length: > 0 } p ? (p.StartsWith('/') ? p : "/" + p) : null;

    private static string? At(Microsoft.Extensions.Primitives.StringValues values, int i) => i < values.Count ? values[i] : null;

    private static string? Text(JsonElement e, string key) =>
        e.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}

using System.Globalization;
using System.Text.Json;
using Relais.Pipelines.Variables;
using Relais.Server.Api;

namespace Relais.Server.Pipelines.Releases;

/// <summary>
/// A job's <c>release:</c> keyword read as the release to create (pure): <c>tag_name</c>, <c>tag_message</c>,
/// <c>name</c>, <c>description</c>, <c>ref</c>, <c>released_at</c> and <c>assets:links</c> (<c>name</c>, <c>url</c>,
/// <c>filepath</c> or <c>direct_asset_path</c>, <c>link_type</c>), each with the job's variables expanded as the
/// job's shell expands release-cli's arguments in GitLab. <c>ref</c> defaults to the job's commit.
/// </summary>
internal static class ReleaseSection
{
    /// <summary>The release <paramref name="json"/> (the keyword as written) asks for, or why it cannot be read.</summary>
    public static (ReleaseRequest? Request, string? Problem) Read(string json, Func<string, string?> lookup)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        using var doc = JsonDocument.Parse(json);
        var section = doc.RootElement;
        if (section.ValueKind != JsonValueKind.Object)
        {
            return (null, "release: is not a mapping");
        }

        string? Field(JsonElement e, string key) =>
            e.TryGetProperty(key, out var v) && v.ValueKind is not (JsonValueKind.Null or JsonValueKind.Object or JsonValueKind.Array)
                ? VariableExpander.Expand(v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText(), lookup)
                : null;

        DateTimeOffset? releasedAt = null;
        if (Field(section, "released_at") is { Length: > 0 } at)
        {
            if (!DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                return (null, "released_at is invalid: " + at);
            }

            releasedAt = parsed.ToUniversalTime();
        }

        var links = new List<Storage.ReleaseLinkRecord>();
        if (section.TryGetProperty("assets", out var assets) && assets.ValueKind == JsonValueKind.Object
            && assets.TryGetProperty("links", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            links.AddRange(list.EnumerateArray().Where(l => l.ValueKind == JsonValueKind.Object).Select(l =>
                ReleaseInput.Link(Field(l, "name"), Field(l, "url"), Field(l, "direct_asset_path") ?? Field(l, "filepath"), Field(l, "link_type"))));
        }

        var request = new ReleaseRequest(
            Field(section, "tag_name"),
            Field(section, "name"),
            Field(section, "description"),
            Field(section, "ref") is { Length: > 0 } r ? r : lookup("CI_COMMIT_SHA"),
            Field(section, "tag_message"),
            releasedAt,
            links);
        return (request, null);
    }
}

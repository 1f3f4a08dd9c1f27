using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Relais.Server.Registry;

/// <summary>
/// The coordinator's calls to its registry, through Distribution's HTTP API v2: tags of a repository, a tag's
/// details, deleting tags, the catalog, and the blob/manifest uploads deleting needs. A repository that does not
/// exist has no tags (not an error); anything else the registry refuses throws <see cref="RegistryException"/>.
/// </summary>
public sealed class RegistryClient(RegistrySetup setup) : IDisposable
{
    /// <summary>The manifest types asked for, GitLab's set: Docker v2 image and list, OCI image and index.</summary>
    public static readonly IReadOnlyList<string> ManifestTypes =
    [
        "application/vnd.docker.distribution.manifest.v2+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.oci.image.index.v1+json",
    ];

    private const int PageSize = 1000;
    private readonly RegistryHttp _http = new(setup);

    /// <summary>The repository's tags, sorted (every page); empty when the repository does not exist.</summary>
    public async Task<IReadOnlyList<string>> ListTagsAsync(string repository, CancellationToken cancel = default)
    {
        var tags = new List<string>();
        string? next = $"v2/{repository}/tags/list?n={PageSize}";
        while (next is not null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, next);
            using var response = await _http.SendAsync(request, Pull(repository), cancel);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return [];
            }

            await EnsureAsync(response, "list the tags of " + repository, cancel);
            var page = await response.Content.ReadFromJsonNodeAsync(cancel);
            tags.AddRange(page?["tags"] is JsonArray names ? names.Select(n => (string)n!) : []);
            next = NextPage(response);
        }

        tags.Sort(StringComparer.Ordinal);
        return tags;
    }

    /// <summary>The tag's manifest digest, size and build time; null when the tag does not exist.</summary>
    public async Task<RegistryTagDetails?> GetTagAsync(string repository, string tag, CancellationToken cancel = default)
    {
        if (await GetManifestAsync(repository, tag, cancel) is not var (digest, mediaType, manifest))
        {
            return null;
        }

        if (manifest["manifests"] is JsonArray images)
        {
            return new RegistryTagDetails(tag, digest, mediaType, images.Sum(i => (long?)i?["size"] ?? 0), null);
        }

        var size = ((long?)manifest["config"]?["size"] ?? 0) + (manifest["layers"] is JsonArray layers ? layers.Sum(l => (long?)l?["size"] ?? 0) : 0);
        var configDigest = (string?)manifest["config"]?["digest"];
        var created = configDigest is null ? null : await CreatedAtAsync(repository, configDigest, cancel);
        return new RegistryTagDetails(tag, digest, mediaType, size, created) { ConfigDigest = configDigest };
    }

    /// <summary>
    /// Deletes <paramref name="tags"/> and only them: Distribution deletes manifests by digest, which would take every
    /// other tag of the same image with it, so each tag is first pointed at one small placeholder manifest, which is
    /// then deleted (GitLab does the same with registries that have no tag-delete call). Tags that do not exist are skipped.
    /// </summary>
    public async Task DeleteTagsAsync(string repository, IReadOnlyCollection<string> tags, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(tags);
        if (tags.Count == 0)
        {
            return;
        }

        var config = Encoding.UTF8.GetBytes("""{"architecture":"","os":"","rootfs":{"type":"layers","diff_ids":[]},"config":{}}""");
        var configDigest = await UploadBlobAsync(repository, config, cancel);
        var placeholder = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = ManifestTypes[0],
            ["config"] = new JsonObject { ["mediaType"] = "application/vnd.docker.container.image.v1+json", ["size"] = config.Length, ["digest"] = configDigest },
            ["layers"] = new JsonArray(),
        }.ToJsonString());
        string? digest = null;
        foreach (var tag in tags)
        {
            digest = await PutManifestAsync(repository, tag, ManifestTypes[0], placeholder, cancel);
        }

        using var request = new HttpRequestMessage(HttpMethod.Delete, $"v2/{repository}/manifests/{digest}");
        using var response = await _http.SendAsync(request, new RegistryScope("repository", repository, [RegistryScope.Delete]), cancel);
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            await EnsureAsync(response, "delete tags of " + repository, cancel);
        }
    }

    /// <summary>Every repository the registry holds (the catalog, every page).</summary>
    public async Task<IReadOnlyList<string>> CatalogAsync(CancellationToken cancel = default)
    {
        var names = new List<string>();
        string? next = $"v2/_catalog?n={PageSize}";
        while (next is not null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, next);
            using var response = await _http.SendAsync(request, new RegistryScope("registry", "catalog", [RegistryScope.Any]), cancel);
            await EnsureAsync(response, "read the catalog", cancel);
            var page = await response.Content.ReadFromJsonNodeAsync(cancel);
            names.AddRange(page?["repositories"] is JsonArray repositories ? repositories.Select(n => (string)n!) : []);
            next = NextPage(response);
        }

        return names;
    }

    /// <summary>Uploads a blob in one request (monolithic upload); returns its digest.</summary>
    public async Task<string> UploadBlobAsync(string repository, byte[] content, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));
        var scope = new RegistryScope("repository", repository, [RegistryScope.Pull, RegistryScope.Push]);
        using var start = new HttpRequestMessage(HttpMethod.Post, $"v2/{repository}/blobs/uploads/");
        using var started = await _http.SendAsync(start, scope, cancel);
        await EnsureAsync(started, "start an upload to " + repository, cancel);
        var location = started.Headers.Location ?? throw new RegistryException($"the registry gave no upload location for {repository}");
        var target = location.ToString() + (location.ToString().Contains('?', StringComparison.Ordinal) ? "&" : "?") + "digest=" + Uri.EscapeDataString(digest);
        using var put = new HttpRequestMessage(HttpMethod.Put, target) { Content = new ByteArrayContent(content) };
        put.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var done = await _http.SendAsync(put, scope, cancel);
        await EnsureAsync(done, "upload a blob to " + repository, cancel);
        return digest;
    }

    /// <summary>Stores a manifest under <paramref name="reference"/> (a tag or digest); returns its digest.</summary>
    public async Task<string> PutManifestAsync(string repository, string reference, string mediaType, byte[] manifest, CancellationToken cancel = default)
    {
        using var put = new HttpRequestMessage(HttpMethod.Put, $"v2/{repository}/manifests/{reference}") { Content = new ByteArrayContent(manifest) };
        put.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        using var response = await _http.SendAsync(put, new RegistryScope("repository", repository, [RegistryScope.Pull, RegistryScope.Push]), cancel);
        await EnsureAsync(response, $"store the manifest {repository}:{reference}", cancel);
        return response.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.First()
            : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(manifest));
    }

    private async Task<(string Digest, string MediaType, JsonNode Manifest)?> GetManifestAsync(string repository, string reference, CancellationToken cancel)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v2/{repository}/manifests/{reference}");
        foreach (var type in ManifestTypes)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        }

        using var response = await _http.SendAsync(request, Pull(repository), cancel);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureAsync(response, $"read the manifest {repository}:{reference}", cancel);
        var body = await response.Content.ReadAsByteArrayAsync(cancel);
        var digest = response.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.First() : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(body));
        var node = JsonNode.Parse(body) ?? new JsonObject();
        var mediaType = response.Content.Headers.ContentType?.MediaType ?? (string?)node["mediaType"] ?? ManifestTypes[0];
        return (digest, mediaType, node);
    }

    private async Task<DateTimeOffset?> CreatedAtAsync(string repository, string configDigest, CancellationToken cancel)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v2/{repository}/blobs/{configDigest}");
        using var response = await _http.SendAsync(request, Pull(repository), cancel);
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        try
        {
            var config = await response.Content.ReadFromJsonNodeAsync(cancel);
            return (string?)config?["created"] is { } text
                && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var created) ? created : null;
        }
        catch (JsonException)
        {
            return null; // not a JSON image config (an artifact): no build time
        }
    }

    private static RegistryScope Pull(string repository) => new("repository", repository, [RegistryScope.Pull]);

    /// <summary>The next page from a <c>Link: &lt;/v2/…?last=x&amp;n=y&gt;; rel="next"</c> header, or null.</summary>
    private static string? NextPage(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var links))
        {
            return null;
        }

        var link = links.First();
        var (open, close) = (link.IndexOf('<', StringComparison.Ordinal), link.IndexOf('>', StringComparison.Ordinal));
        return open >= 0 && close > open && link.Contains("rel=\"next\"", StringComparison.Ordinal) ? link[(open + 1)..close].TrimStart('/') : null;
    }

    private static async Task EnsureAsync(HttpResponseMessage response, string what, CancellationToken cancel)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var body = await response.Content.ReadAsStringAsync(cancel);
        throw new RegistryException($"the registry refused to {what}: {(int)response.StatusCode} {Relais.Protocol.LogText.Safe(body.Length > 300 ? body[..300] : body).Trim()}", response.StatusCode);
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>The registry refused a call of the coordinator (or could not be reached).</summary>
public sealed class RegistryException(string message, HttpStatusCode? status = null) : Exception(message)
{
    public HttpStatusCode? Status { get; } = status;
}

/// <summary>Reads a response body as a JSON node.</summary>
internal static class RegistryJson
{
    public static async Task<JsonNode?> ReadFromJsonNodeAsync(this HttpContent content, CancellationToken cancel)
    {
        await using var stream = await content.ReadAsStreamAsync(cancel);
        return await JsonNode.ParseAsync(stream, cancellationToken: cancel);
    }
}

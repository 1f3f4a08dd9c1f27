using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Relais.GitOps.Tests.Registry;

/// <summary>Pushes tiny synthetic images (a config with a <c>created</c> time and one layer) straight over the Distribution API, without Docker.</summary>
internal static class TestImages
{
    private const string ManifestType = "application/vnd.docker.distribution.manifest.v2+json";

    /// <summary>Pushes one image to <paramref name="address"/> (plain HTTP, with a <paramref name="bearer"/> token when given) as each of <paramref name="tags"/>.</summary>
    public static async Task PushAsync(string address, string repository, DateTimeOffset created, IEnumerable<string> tags, string? bearer = null)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://{address}/") };
        if (bearer is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        var config = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["architecture"] = "amd64",
            ["os"] = "linux",
            ["created"] = created.ToString("O"),
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray() },
        }.ToJsonString());
        var layer = Encoding.UTF8.GetBytes("layer " + repository);
        var configDigest = await UploadAsync(http, repository, config);
        var layerDigest = await UploadAsync(http, repository, layer);
        var manifest = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = ManifestType,
            ["config"] = new JsonObject { ["mediaType"] = "application/vnd.docker.container.image.v1+json", ["size"] = config.Length, ["digest"] = configDigest },
            ["layers"] = new JsonArray(new JsonObject { ["mediaType"] = "application/vnd.docker.image.rootfs.diff.tar.gzip", ["size"] = layer.Length, ["digest"] = layerDigest }),
        }.ToJsonString();
        foreach (var tag in tags)
        {
            using var content = new StringContent(manifest, Encoding.UTF8);
            content.Headers.ContentType = new MediaTypeHeaderValue(ManifestType);
            using var response = await http.PutAsync($"v2/{repository}/manifests/{tag}", content);
            response.EnsureSuccessStatusCode();
        }
    }

    private static async Task<string> UploadAsync(HttpClient http, string repository, byte[] bytes)
    {
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
        using var start = await http.PostAsync($"v2/{repository}/blobs/uploads/", null);
        start.EnsureSuccessStatusCode();
        var location = new Uri(http.BaseAddress!, start.Headers.Location!);
        var separator = location.Query.Length > 0 ? "&" : "?";
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var put = await http.PutAsync(new Uri(location + separator + "digest=" + Uri.EscapeDataString(digest)), content);
        put.EnsureSuccessStatusCode();
        return digest;
    }
}

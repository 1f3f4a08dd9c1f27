using System.Text;
using System.Text.Json.Nodes;
using Relais.Server.Registry;

namespace Relais.Server.Tests.Registry;

/// <summary>
/// Small images pushed straight through the registry's HTTP API (a config and one layer of given bytes), so registry
/// tests need neither Docker nor images; and a registry with token authentication whose setup signs for the client.
/// </summary>
internal static class SyntheticImages
{
    /// <summary>Pushes an image with a layer of <paramref name="layer"/> and build time <paramref name="created"/> as each of <paramref name="tags"/>; returns its digest.</summary>
    public static async Task<string> PushAsync(RegistryClient client, string repository, byte[] layer, DateTimeOffset created, params string[] tags)
    {
        var config = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["architecture"] = "amd64",
            ["os"] = "linux",
            ["created"] = created.ToString("O"),
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray() },
        }.ToJsonString());
        var configDigest = await client.UploadBlobAsync(repository, config);
        var layerDigest = await client.UploadBlobAsync(repository, layer);
        var manifest = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = RegistryClient.ManifestTypes[0],
            ["config"] = new JsonObject { ["mediaType"] = "application/vnd.docker.container.image.v1+json", ["size"] = config.Length, ["digest"] = configDigest },
            ["layers"] = new JsonArray(new JsonObject { ["mediaType"] = "application/vnd.docker.image.rootfs.diff.tar.gzip", ["size"] = layer.Length, ["digest"] = layerDigest }),
        }.ToJsonString());
        var digest = "";
        foreach (var tag in tags)
        {
            digest = await client.PutManifestAsync(repository, tag, RegistryClient.ManifestTypes[0], manifest);
        }

        return digest;
    }
}

/// <summary>A real registry with token authentication and the setup (key, issuer) whose tokens it accepts.</summary>
internal sealed class TokenRegistry : IAsyncDisposable
{
    private readonly TempDirectory _keys;
    private readonly RegistryTokenKey _key;

    private TokenRegistry(TempDirectory keys, RegistryTokenKey key, RegistryProcess process, RegistrySetup setup)
    {
        (_keys, _key, Process, Setup) = (keys, key, process, setup);
    }

    public RegistryProcess Process { get; }

    public RegistrySetup Setup { get; }

    public static async Task<TokenRegistry> StartAsync(TimeProvider? time = null)
    {
        var keys = new TempDirectory("registry-keys");
        var key = RegistryTokenKey.LoadOrCreate(keys.Path, TimeProvider.System);
        var process = await RegistryProcess.StartAsync(new RegistryTokenAuth("http://127.0.0.1:9/jwt/auth", RegistrySetup.ServiceName, RegistrySetup.IssuerName, key.CertificatePath));
        var setup = new RegistrySetup
        {
            Address = process.Address,
            ApiUrl = new Uri($"http://{process.Address}/"),
            Insecure = true,
            Realm = new Uri("http://127.0.0.1:9/jwt/auth"),
            Tokens = new RegistryTokenIssuer(key, RegistrySetup.IssuerName, RegistrySetup.ServiceName, time ?? TimeProvider.System),
        };
        return new TokenRegistry(keys, key, process, setup);
    }

    public async ValueTask DisposeAsync()
    {
        await Process.DisposeAsync();
        _key.Dispose();
        _keys.Dispose();
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Relais.Server.Registry;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Registry;

/// <summary>
/// The registry <c>relais serve</c> runs and supervises (issue #15, part A): a real Distribution registry on the
/// host's own address, TLS with Relais's CA, token authentication whose realm is the coordinator, restarted
/// when it dies, a leftover stopped, garbage collection while read-only, the CA handed to the host's Docker.
/// </summary>
public sealed class RegistryDaemonTests
{
    [RegistryFact]
    public async Task The_registry_asks_for_this_servers_tokens_over_tls_signed_by_relais_ca_and_honours_them()
    {
        using var certs = new TempDirectory("certs.d");
        var server = await StartAsync(certs.Path);
        var setup = server.Host.Registry!;
        using var http = Trusting(setup);

        using var challenge = await http.GetAsync(new Uri(setup.ApiUrl, "v2/"));
        using var catalog = await SendAsync(http, setup, HttpMethod.Get, "v2/_catalog", new RegistryScope("registry", "catalog", ["*"]));
        var reachable = DockerBridge.ReachableAddress();

        Assert.Equal(HttpStatusCode.Unauthorized, challenge.StatusCode);
        Assert.Equal($"Bearer realm=\"{setup.Realm}\",service=\"container_registry\"", challenge.Headers.WwwAuthenticate.ToString());
        Assert.EndsWith("/jwt/auth", setup.Realm.AbsolutePath, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, catalog.StatusCode);
        Assert.Equal("https", setup.ApiUrl.Scheme);
        Assert.False(setup.Insecure);
        Assert.Equal(setup.CaCertificatePem, await File.ReadAllTextAsync(Path.Combine(certs.Path, setup.Address, "ca.crt")));
        if (reachable is not null)
        {
            // Jobs, DinD daemons and the host's Docker all reach the host's address; so is the realm, where the coordinator also listens.
            Assert.StartsWith(reachable + ":", setup.Address, StringComparison.Ordinal);
            Assert.Equal(reachable.ToString(), setup.Realm.Host);
            using var plain = new HttpClient();
            using var realmHost = await plain.GetAsync(new Uri(setup.Realm, "/api/v4/version")); // answers (whatever it says)
            Assert.NotNull(realmHost);
        }

        var trust = Path.Combine(certs.Path, setup.Address, "ca.crt");
        await server.DisposeAsync();
        Assert.False(File.Exists(trust));
    }

    [RegistryFact]
    public async Task The_ca_the_token_key_and_the_secret_survive_a_restart_and_the_certificate_follows_the_address()
    {
        using var certs = new TempDirectory("certs.d");
        var port = FreePorts.Next();
        string dataDir;
        string[] first;
        await using (var server = await StartAsync(certs.Path, port))
        {
            server.KeepData = true;
            dataDir = server.DataDir;
            first = Kept(dataDir);
        }

        await using var again = await StartAsync(certs.Path, port, dataDir, o => o with { RegistryAddress = "registry.relais.test" });
        var setup = again.Host.Registry!;
        using var certificate = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(Path.Combine(dataDir, "registry", "server.crt")));
        var names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        using var http = Trusting(setup, resolveTo: DockerBridge.ReachableAddress() ?? IPAddress.Loopback);
        using var challenge = await http.GetAsync(new Uri(setup.ApiUrl, "v2/"));

        Assert.Equal(first, Kept(dataDir));
        Assert.Equal($"registry.relais.test:{port}", setup.Address);
        Assert.Contains("registry.relais.test", names.EnumerateDnsNames());
        Assert.Contains("localhost", names.EnumerateDnsNames());
        Assert.Contains(IPAddress.Loopback, names.EnumerateIPAddresses());
        Assert.Equal(HttpStatusCode.Unauthorized, challenge.StatusCode);
    }

    [RegistryFact]
    public async Task A_registry_killed_with_sigkill_is_back_within_seconds()
    {
        using var certs = new TempDirectory("certs.d");
        await using var server = await StartAsync(certs.Path);
        var setup = server.Host.Registry!;
        var pidFile = Path.Combine(server.DataDir, "registry", "registry.pid");
        var first = int.Parse(await File.ReadAllTextAsync(pidFile), CultureInfo.InvariantCulture);
        using (var registry = Process.GetProcessById(first))
        {
            registry.Kill();
        }

        using var http = Trusting(setup);
        var watch = Stopwatch.StartNew();
        HttpStatusCode? status = null;
        while (watch.Elapsed < TimeSpan.FromSeconds(15) && status != HttpStatusCode.Unauthorized)
        {
            await Task.Delay(200);
            try
            {
                using var response = await http.GetAsync(new Uri(setup.ApiUrl, "v2/"));
                status = response.StatusCode;
            }
            catch (HttpRequestException)
            {
                status = null;
            }
        }

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"back after {watch.Elapsed}");
        Assert.NotEqual(first, int.Parse(await File.ReadAllTextAsync(pidFile), CultureInfo.InvariantCulture));
    }

    [RegistryFact]
    public async Task A_registry_left_running_by_a_killed_server_is_stopped_at_the_next_start()
    {
        using var certs = new TempDirectory("certs.d");
        var port = FreePorts.Next();
        string dataDir;
        await using (var server = await StartAsync(certs.Path, port))
        {
            server.KeepData = true;
            dataDir = server.DataDir;
        }

        // What a server killed with SIGKILL leaves: its registry still serving on the port, its pid in the pid file.
        var config = Path.Combine(dataDir, "registry", "config.yml");
        var start = new ProcessStartInfo("docker-registry") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add(config);
        using var leftover = Process.Start(start)!;
        leftover.BeginErrorReadLine();
        leftover.BeginOutputReadLine();
        await File.WriteAllTextAsync(Path.Combine(dataDir, "registry", "registry.pid"), leftover.Id.ToString(CultureInfo.InvariantCulture) + "\n");
        await Task.Delay(500);
        Assert.False(leftover.HasExited);

        await using var again = await StartAsync(certs.Path, port, dataDir);
        using var http = Trusting(again.Host.Registry!);
        using var challenge = await http.GetAsync(new Uri(again.Host.Registry!.ApiUrl, "v2/"));

        Assert.True(leftover.WaitForExit(5000), "the leftover registry still runs");
        Assert.Equal(HttpStatusCode.Unauthorized, challenge.StatusCode);
        Assert.NotEqual(leftover.Id, int.Parse(await File.ReadAllTextAsync(Path.Combine(dataDir, "registry", "registry.pid")), CultureInfo.InvariantCulture));
    }

    [RegistryFact]
    public async Task With_registry_insecure_it_serves_plain_http_and_no_ca()
    {
        using var certs = new TempDirectory("certs.d");
        await using var server = await StartAsync(certs.Path, configure: o => o with { RegistryInsecure = true });
        var setup = server.Host.Registry!;
        using var http = new HttpClient();

        using var challenge = await http.GetAsync(new Uri(setup.ApiUrl, "v2/"));

        Assert.Equal("http", setup.ApiUrl.Scheme);
        Assert.True(setup.Insecure);
        Assert.Null(setup.CaCertificatePem);
        Assert.Equal(HttpStatusCode.Unauthorized, challenge.StatusCode);
        Assert.Empty(Directory.EnumerateFileSystemEntries(certs.Path));
    }

    [RegistryFact]
    public async Task Garbage_collection_removes_an_untagged_images_blobs_and_refuses_writes_meanwhile()
    {
        using var certs = new TempDirectory("certs.d");
        await using var server = await StartAsync(certs.Path);
        var setup = server.Host.Registry!;
        using var http = Trusting(setup);
        var layer = Encoding.UTF8.GetBytes("a layer that nothing references once its manifest is deleted " + Guid.NewGuid());
        var layerDigest = await PushBlobAsync(http, setup, layer);
        var imageConfig = Encoding.UTF8.GetBytes("""{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}""");
        var configDigest = await PushBlobAsync(http, setup, imageConfig);
        var manifest = $$"""{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":{{imageConfig.Length}},"digest":"{{configDigest}}"},"layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","size":{{layer.Length}},"digest":"{{layerDigest}}"}]}""";
        using var put = await SendAsync(http, setup, HttpMethod.Put, "v2/root/demo/manifests/latest", Push, new StringContent(manifest, new MediaTypeHeaderValue("application/vnd.docker.distribution.manifest.v2+json")));
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        var manifestDigest = put.Headers.GetValues("Docker-Content-Digest").Single();
        using var delete = await SendAsync(http, setup, HttpMethod.Delete, $"v2/root/demo/manifests/{manifestDigest}", Push);
        Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        var blobFile = Path.Combine(server.DataDir, "registry", "storage", "docker", "registry", "v2", "blobs", "sha256", layerDigest[7..9], layerDigest[7..], "data");
        Assert.True(File.Exists(blobFile));
        var collector = (SupervisedRegistryMaintenance)setup.Maintenance!;
        HttpStatusCode? writeMeanwhile = null;
        var readOnlyMeanwhile = false;

        var summary = await collector.CollectGarbageAsync(
            async () =>
            {
                readOnlyMeanwhile = setup.Maintenance!.IsReadOnly;
                using var upload = await SendAsync(http, setup, HttpMethod.Post, "v2/root/demo/blobs/uploads/", Push);
                writeMeanwhile = upload.StatusCode;
            },
            CancellationToken.None);
        using var writeAfter = await SendAsync(http, setup, HttpMethod.Post, "v2/root/demo/blobs/uploads/", Push);

        Assert.Contains("eligible for deletion", summary, StringComparison.Ordinal);
        Assert.False(File.Exists(blobFile));
        Assert.True(readOnlyMeanwhile);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, writeMeanwhile);
        Assert.False(setup.Maintenance!.IsReadOnly);
        Assert.Equal(HttpStatusCode.Accepted, writeAfter.StatusCode);
    }

    private static readonly RegistryScope Push = new("repository", "root/demo", ["pull", "push", "delete"]);

    private static Task<TestServer> StartAsync(string certs, int? registryPort = null, string? dataDir = null, Func<ServerOptions, ServerOptions>? configure = null) =>
        TestServer.StartAsync(Stores.Sqlite, dataDir: dataDir, configure: o =>
        {
            var options = o with { RegistryPort = registryPort ?? FreePorts.Next(), DockerCertsDirectory = certs };
            return configure is null ? options : configure(options);
        });

    /// <summary>What must not change across restarts: the CA, the token key's certificate, the upload secret.</summary>
    private static string[] Kept(string dataDir) =>
        [.. new[] { "ca.crt", "ca.key", "token.crt", "http-secret" }.Select(f => File.ReadAllText(Path.Combine(dataDir, "registry", f)))];

    private static async Task<string> PushBlobAsync(HttpClient http, RegistrySetup setup, byte[] content)
    {
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));
        using var started = await SendAsync(http, setup, HttpMethod.Post, "v2/root/demo/blobs/uploads/", Push);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var location = new Uri(setup.ApiUrl, started.Headers.Location!);
        var separator = location.Query.Length > 0 ? "&" : "?";
        using var done = await SendAsync(http, setup, HttpMethod.Put, location + separator + "digest=" + Uri.EscapeDataString(digest), Push, new ByteArrayContent(content));
        Assert.Equal(HttpStatusCode.Created, done.StatusCode);
        return digest;
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, RegistrySetup setup, HttpMethod method, string path, RegistryScope scope, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(setup.ApiUrl, path)) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", setup.Tokens.Issue("root", [scope]).Value);
        return await http.SendAsync(request);
    }

    /// <summary>A client that trusts the registry's CA and nothing else (names checked); <paramref name="resolveTo"/> connects a DNS name there.</summary>
    private static HttpClient Trusting(RegistrySetup setup, IPAddress? resolveTo = null)
    {
        var ca = X509Certificate2.CreateFromPem(setup.CaCertificatePem);
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                {
                    if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
                    {
                        return false;
                    }

                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(ca);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return chain.Build(new X509Certificate2(certificate));
                },
            },
        };
        if (resolveTo is not null)
        {
            handler.ConnectCallback = async (context, cancel) =>
            {
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
                await socket.ConnectAsync(resolveTo, context.DnsEndPoint.Port, cancel);
                return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
            };
        }

        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
    }
}

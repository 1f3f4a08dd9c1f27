using Relais.Server.Registry;
using Relais.Server.Tests.Api;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Registry;

/// <summary>
/// A test server (with root and alice, as <see cref="ApiFixture"/>) whose container registry is on: the real
/// Distribution registry <c>relais serve</c> runs and supervises (on the host's own address, TLS with the
/// server's CA, which is also written to the host's <c>/etc/docker/certs.d</c> as root), at <see cref="Setup"/>.
/// Every registry test of the coordinator starts here, so how the registry is started is decided in one place.
/// </summary>
internal sealed class RegistryFixture : IAsyncDisposable
{
    private RegistryFixture(ApiFixture api) => Api = api;

    public ApiFixture Api { get; }

    public TestServer Server => Api.Server;

    /// <summary>The server's registry setup (address, token issuer, CA, garbage collection…).</summary>
    public RegistrySetup Setup => Server.Host.Registry!;

    /// <summary>Where the registry keeps blobs and manifests.</summary>
    public string StoragePath => Path.Combine(Server.DataDir, "registry", "storage");

    public static async Task<RegistryFixture> StartAsync(string store = Stores.Sqlite, Func<ServerOptions, ServerOptions>? configure = null) =>
        new(await ApiFixture.StartAsync(store, configure: o =>
        {
            var options = o with { RegistryPort = FreePorts.Next() };
            return configure is null ? options : configure(options);
        }));

    public ValueTask DisposeAsync() => Api.DisposeAsync();
}

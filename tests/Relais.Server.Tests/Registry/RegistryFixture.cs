using Relais.Server.Registry;
using Relais.Server.Tests.Api;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Registry;

/// <summary>
/// A test server (with root and alice, as <see cref="ApiFixture"/>) whose container registry is on: a real
/// Distribution registry that trusts the server's token key, at <see cref="Setup"/>. Every registry test of the
/// coordinator starts here, so how the registry is started is decided in one place.
/// </summary>
internal sealed class RegistryFixture : IAsyncDisposable
{
    private RegistryFixture(ApiFixture api, RegistryProcess registry)
    {
        Api = api;
        Registry = registry;
    }

    public ApiFixture Api { get; }

    public TestServer Server => Api.Server;

    public RegistryProcess Registry { get; }

    /// <summary>The server's registry setup (address, token issuer…).</summary>
    public RegistrySetup Setup => Server.Host.Registry!;

    public static async Task<RegistryFixture> StartAsync(string store = Stores.Sqlite)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "relais-server-tests", Guid.NewGuid().ToString("N"));
        var serverPort = FreePorts.Next();
        string certificate;
        using (var key = RegistryTokenKey.LoadOrCreate(Path.Combine(dataDir, "registry"), TimeProvider.System))
        {
            certificate = key.CertificatePath;
        }

        // Until `relais serve` runs the registry itself, the test starts one that trusts the server's key.
        var registry = await RegistryProcess.StartAsync(new RegistryTokenAuth($"http://127.0.0.1:{serverPort}/jwt/auth", RegistrySetup.ServiceName, RegistrySetup.IssuerName, certificate));
        try
        {
            var api = await ApiFixture.StartAsync(store, dataDir, serverPort, o => o with { RegistryPort = registry.Port });
            return new RegistryFixture(api, registry);
        }
        catch
        {
            await registry.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Api.DisposeAsync();
        await Registry.DisposeAsync();
    }
}

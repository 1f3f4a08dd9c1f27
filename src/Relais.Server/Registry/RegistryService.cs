namespace Relais.Server.Registry;

/// <summary>
/// The container registry of <c>relais serve</c> (issue #15): prepared before the endpoints are mapped (the token
/// endpoint and job payloads need its <see cref="Setup"/>), started once the coordinator listens, stopped with it.
/// </summary>
internal sealed class RegistryService : IAsyncDisposable
{
    private readonly RegistryTokenKey _key;

    private RegistryService(RegistrySetup setup, RegistryTokenKey key)
    {
        Setup = setup;
        _key = key;
    }

    public RegistrySetup Setup { get; }

    /// <summary>The registry's setup for <paramref name="options"/>, or null when <see cref="ServerOptions.RegistryPort"/> is not set.</summary>
    public static Task<RegistryService?> PrepareAsync(ServerOptions options, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.RegistryPort is not { } port || cancel.IsCancellationRequested)
        {
            return Task.FromResult<RegistryService?>(null);
        }

        // #15 part A: the address jobs reach, TLS with Relais's CA, the config, the supervised process.
        var key = RegistryTokenKey.LoadOrCreate(Path.Combine(options.DataDir, "registry"), options.Time);
        var address = $"127.0.0.1:{port}";
        var setup = new RegistrySetup
        {
            Address = address,
            ApiUrl = new Uri($"http://{address}/"),
            Insecure = true,
            Realm = new Uri(options.ExternalUrl!.TrimEnd('/') + "/jwt/auth"),
            Tokens = new RegistryTokenIssuer(key, RegistrySetup.IssuerName, RegistrySetup.ServiceName, options.Time),
        };
        return Task.FromResult<RegistryService?>(new RegistryService(setup, key));
    }

    /// <summary>Starts the registry process (supervised) once the coordinator listens.</summary>
    public Task StartAsync(CancellationToken cancel) =>
        cancel.IsCancellationRequested ? Task.FromCanceled(cancel) : Task.FromResult(Setup); // #15 part A

    public ValueTask DisposeAsync()
    {
        _key.Dispose();
        return ValueTask.CompletedTask;
    }
}

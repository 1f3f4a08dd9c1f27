namespace Relais.Server.Registry;

/// <summary>
/// The container registry of <c>relais serve</c> (issue #15): prepared before the endpoints are mapped (the token
/// endpoint and job payloads need its <see cref="Setup"/>), started once the coordinator listens, stopped with it.
/// </summary>
internal sealed class RegistryService : IAsyncDisposable
{
    private RegistryService(RegistrySetup setup)
    {
        Setup = setup;
    }

    public RegistrySetup Setup { get; }

    /// <summary>The registry's setup for <paramref name="options"/>, or null when <see cref="ServerOptions.RegistryPort"/> is not set.</summary>
    public static Task<RegistryService?> PrepareAsync(ServerOptions options, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(options);
        _ = cancel;
        return Task.FromResult<RegistryService?>(null); // #15 part A: keys, CA, config, address
    }

    /// <summary>Starts the registry process (supervised) once the coordinator listens.</summary>
    public Task StartAsync(CancellationToken cancel) =>
        cancel.IsCancellationRequested ? Task.FromCanceled(cancel) : Task.FromResult(Setup); // #15 part A

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

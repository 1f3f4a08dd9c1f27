namespace Relais.Server.Registry.Cleanup;

/// <summary>
/// Runs the registry's garbage collection (<see cref="IRegistryMaintenance"/>: read-only while it runs) for the
/// cleanup policies and the administrators' button, one run at a time. Where the registry is not supervised by this
/// server (no maintenance), it is skipped with a log line.
/// </summary>
public sealed class RegistryGarbageCollector(Func<IRegistryMaintenance?> maintenance, TextWriter log) : IDisposable
{
    private readonly SemaphoreSlim _one = new(1, 1);

    /// <summary>Whether garbage collection can run here at all.</summary>
    public bool Available => maintenance() is not null;

    /// <summary>Whether the registry is read-only right now (a collection is running).</summary>
    public bool IsReadOnly => maintenance()?.IsReadOnly ?? false;

    /// <summary>Collects garbage (after the one running, if any); returns the collector's summary, or null when skipped.</summary>
    public async Task<string?> RunAsync(string why, CancellationToken cancel = default)
    {
        if (maintenance() is not { } registry)
        {
            await log.WriteLineAsync($"relais serve: registry garbage collection skipped ({why}): the registry is not supervised by this server");
            return null;
        }

        await _one.WaitAsync(cancel);
        try
        {
            await log.WriteLineAsync($"relais serve: registry garbage collection ({why}): the registry is read-only until it ends");
            var summary = await registry.CollectGarbageAsync(cancel);
            await log.WriteLineAsync($"relais serve: registry garbage collection done: {Relais.Protocol.LogText.Safe(summary)}");
            return summary;
        }
        finally
        {
            _one.Release();
        }
    }

    public void Dispose() => _one.Dispose();
}

using System.Diagnostics;

namespace Relais.Server.Registry;

/// <summary>
/// Distribution's garbage collection, one at a time: the registry is restarted read-only (pushes and deletes are
/// refused, pulls work), <c>docker-registry garbage-collect --delete-untagged=true config.yml</c> removes untagged
/// manifests and the blobs nothing references, and the registry is restarted writable.
/// </summary>
internal sealed class SupervisedRegistryMaintenance(string program, string configPath, Func<bool, Task> setReadOnly) : IRegistryMaintenance, IDisposable
{
    private readonly SemaphoreSlim _one = new(1, 1);
    private volatile bool _readOnly;

    public bool IsReadOnly => _readOnly;

    public Task<string> CollectGarbageAsync(CancellationToken cancel) => CollectGarbageAsync(null, cancel);

    /// <summary>As <see cref="CollectGarbageAsync(CancellationToken)"/>; <paramref name="whileReadOnly"/> runs just before the collector (tests write then).</summary>
    internal async Task<string> CollectGarbageAsync(Func<Task>? whileReadOnly, CancellationToken cancel)
    {
        await _one.WaitAsync(cancel);
        try
        {
            _readOnly = true;
            try
            {
                await setReadOnly(true);
                if (whileReadOnly is not null)
                {
                    await whileReadOnly();
                }

                return await RunCollectorAsync(cancel);
            }
            finally
            {
                await setReadOnly(false);
                _readOnly = false;
            }
        }
        finally
        {
            _one.Release();
        }
    }

    private async Task<string> RunCollectorAsync(CancellationToken cancel)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "garbage-collect", "--delete-untagged=true", configPath })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancel);
        var errors = process.StandardError.ReadToEndAsync(cancel);
        try
        {
            await process.WaitForExitAsync(cancel);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw;
        }

        var lines = ((await output) + "\n" + (await errors)).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException("registry garbage collection failed: " + Relais.Protocol.LogText.Safe(string.Join(" | ", lines.TakeLast(3))));
        }

        return lines.LastOrDefault(l => l.Contains("eligible for deletion", StringComparison.Ordinal)) ?? "nothing to collect";
    }

    public void Dispose() => _one.Dispose();
}

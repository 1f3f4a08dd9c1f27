namespace Relais.GitOps.Agent;

/// <summary>Wakes a resource's loop before its interval ends (its source has a new revision, a policy a new image).</summary>
internal sealed class WakeSignal : IDisposable
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);

    public void Wake()
    {
        try
        {
            _semaphore.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken.
        }
    }

    /// <summary>Waits for <paramref name="interval"/> (infinite when null) or a wake, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan? interval, TimeProvider time, CancellationToken cancellationToken)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(interval ?? Timeout.InfiniteTimeSpan, time, either.Token);
        var wake = _semaphore.WaitAsync(either.Token);
        await Task.WhenAny(delay, wake).ConfigureAwait(false);
        await either.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(delay, wake).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The other one, or the agent stopping (checked by the caller).
        }
    }

    public void Dispose() => _semaphore.Dispose();
}

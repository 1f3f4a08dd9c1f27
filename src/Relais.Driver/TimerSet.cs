namespace Relais.Driver;

/// <summary>
/// The driver's wake-up timers (delayed jobs, the job watchdog's deadline), owned: each is armed once per
/// (pipeline, time), forgotten when it fires, and all are stopped by <see cref="StopAsync"/>, which also waits for the
/// ones firing at that moment. A firing that throws is reported to the error callback, never dropped.
/// Time comes from the injected <see cref="TimeProvider"/>. One lock guards the sets (<c>_NeedsLock</c> methods).
/// </summary>
#pragma warning disable CA1001 // _stop is only cancelled, never linked or timed: it holds nothing to free, and firings may still read its token
internal sealed class TimerSet(TimeProvider time, Func<long, DateTimeOffset, CancellationToken, Task> fire, Action<long, Exception> failed)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(long Pipeline, DateTimeOffset At), ITimer?> _armed = [];
    private readonly HashSet<Task> _firing = [];
    private readonly CancellationTokenSource _stop = new();
#pragma warning restore CA1001
    private bool _stopped;

    /// <summary>Timers armed and not yet fired, plus firings still running.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _armed.Count + _firing.Count;
            }
        }
    }

    /// <summary>Fires <paramref name="pipelineId"/>'s wake-up at <paramref name="at"/> (at once when it is past). Idempotent; ignored once stopped.</summary>
    public void Arm(long pipelineId, DateTimeOffset at)
    {
        var key = (pipelineId, at);
        var delay = at - time.GetUtcNow();
        lock (_lock)
        {
            if (_stopped || _armed.ContainsKey(key))
            {
                return;
            }

            if (delay <= TimeSpan.Zero)
            {
                Start_NeedsLock(key);
                return;
            }

            _armed[key] = null; // reserved before the timer exists, so a callback that runs at once finds it
            _armed[key] = time.CreateTimer(static s => ((Due)s!).Fire(), new Due(this, key), delay, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Stops every timer and waits (until <paramref name="cancel"/>) for the firings under way. Idempotent.</summary>
    public async Task StopAsync(CancellationToken cancel)
    {
        Task[] firing;
        lock (_lock)
        {
            if (!_stopped)
            {
                _stopped = true;
                foreach (var timer in _armed.Values)
                {
                    timer?.Dispose();
                }

                _armed.Clear();
                _stop.Cancel();
            }

            firing = [.. _firing];
        }

        await Task.WhenAll(firing).WaitAsync(cancel);
    }

    private void Fired((long, DateTimeOffset) key)
    {
        lock (_lock)
        {
            if (!_armed.Remove(key, out var timer))
            {
                return; // stopped meanwhile
            }

            timer?.Dispose();
            Start_NeedsLock(key);
        }
    }

    private void Start_NeedsLock((long Pipeline, DateTimeOffset At) key)
    {
        var task = RunAsync(key.Pipeline, key.At);
        _firing.Add(task);
        _ = task.ContinueWith(Forget, this, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private static void Forget(Task task, object? set)
    {
        var timers = (TimerSet)set!;
        lock (timers._lock)
        {
            timers._firing.Remove(task);
        }
    }

    private async Task RunAsync(long pipelineId, DateTimeOffset at)
    {
        await Task.Yield(); // never run the driver under this set's lock
        try
        {
            await fire(pipelineId, at, _stop.Token);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopped while it waited for its turn.
        }
#pragma warning disable CA1031 // a timer has no caller: its error goes to the callback
        catch (Exception e)
#pragma warning restore CA1031
        {
            failed(pipelineId, e);
        }
    }

    private sealed record Due(TimerSet Set, (long, DateTimeOffset) Key)
    {
        public void Fire() => Set.Fired(Key);
    }
}

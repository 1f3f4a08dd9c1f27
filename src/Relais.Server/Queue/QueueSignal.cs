namespace Relais.Server.Queue;

/// <summary>
/// Wakes long-polling job requests the moment a job becomes pending. A waiter takes <see cref="Next"/>
/// BEFORE it looks at the queue, so a job enqueued in between still wakes it. <see cref="Version"/>
/// is what <c>X-GitLab-Last-Update</c> carries.
/// </summary>
public sealed class QueueSignal
{
    private readonly Lock _lock = new();
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _version;

    public long Version => Interlocked.Read(ref _version);

    /// <summary>Completes on the next <see cref="Notify"/>.</summary>
    public Task Next
    {
        get
        {
            lock (_lock)
            {
                return _next.Task;
            }
        }
    }

    /// <summary>Raised after each local <see cref="Notify"/> (not after <see cref="NotifyFromElsewhere"/>): another
    /// coordinator may want to hear of it.</summary>
    public event Action? Notified;

    public void Notify()
    {
        NotifyFromElsewhere();
        Notified?.Invoke();
    }

    /// <summary>Wakes the waiters for a job another coordinator queued.</summary>
    public void NotifyFromElsewhere()
    {
        TaskCompletionSource fired;
        lock (_lock)
        {
            fired = _next;
            _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _version++;
        }

        fired.TrySetResult();
    }
}

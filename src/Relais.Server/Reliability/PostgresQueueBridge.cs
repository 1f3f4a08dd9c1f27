using Npgsql;
using Relais.Server.Queue;

namespace Relais.Server.Reliability;

/// <summary>
/// Carries queue wake-ups between coordinators that share a PostgreSQL database: each local
/// <see cref="QueueSignal.Notify"/> sends <c>NOTIFY relais_queue</c> (coalesced: one in flight, one more queued), and a
/// listening connection turns the other coordinators' notifications into <see cref="QueueSignal.NotifyFromElsewhere"/>,
/// so a runner long-polling one coordinator gets a job queued on another at once. Our own notifications come back
/// too and are recognised by their payload. The listener reconnects after a database outage; meanwhile the queue's
/// periodic re-check (<see cref="ServerOptions.QueueRecheck"/>) still finds the jobs.
/// </summary>
internal sealed class PostgresQueueBridge : IAsyncDisposable
{
    private const string Channel = "relais_queue";
    private readonly string _connectionString;
    private readonly QueueSignal _signal;
    private readonly TextWriter _log;
    private readonly string _me = Guid.NewGuid().ToString("N");
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _listening;
    private int _sending;
    private int _again;

    public PostgresQueueBridge(string connectionString, QueueSignal signal, TextWriter log)
    {
        _connectionString = connectionString;
        _signal = signal;
        _log = log;
        _signal.Notified += OnLocalNotify;
        _listening = ListenAsync(_stop.Token);
    }

    private void OnLocalNotify()
    {
        Interlocked.Exchange(ref _again, 1);
        if (Interlocked.CompareExchange(ref _sending, 1, 0) == 0)
        {
            _ = SendAsync();
        }
    }

    private async Task SendAsync()
    {
        try
        {
            while (Interlocked.Exchange(ref _again, 0) == 1 && !_stop.IsCancellationRequested)
            {
                await using var connection = new NpgsqlConnection(_connectionString);
                await connection.OpenAsync(_stop.Token);
                await using var notify = new NpgsqlCommand($"SELECT pg_notify('{Channel}', @me)", connection);
                notify.Parameters.AddWithValue("me", _me);
                await notify.ExecuteNonQueryAsync(_stop.Token);
            }
        }
#pragma warning disable CA1031 // a lost wake-up is covered by the queue's periodic re-check
        catch (Exception)
#pragma warning restore CA1031
        {
        }
        finally
        {
            Interlocked.Exchange(ref _sending, 0);
        }
    }

    private async Task ListenAsync(CancellationToken stop)
    {
        await Task.Yield();
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(_connectionString);
                await connection.OpenAsync(stop);
                connection.Notification += (_, e) =>
                {
                    if (e.Payload != _me)
                    {
                        _signal.NotifyFromElsewhere();
                    }
                };
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stop);
                }

                _signal.NotifyFromElsewhere(); // anything queued while we were not listening
                while (!stop.IsCancellationRequested)
                {
                    await connection.WaitAsync(stop);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // the database is down: listen again in a moment
            catch (Exception e)
#pragma warning restore CA1031
            {
                await _log.WriteLineAsync($"relais serve: listening for queue wake-ups failed ({e.GetType().Name}: {Relais.Protocol.LogText.Safe(e.Message)}); retrying");
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), stop);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _signal.Notified -= OnLocalNotify;
        await _stop.CancelAsync();
        await _listening;
        _stop.Dispose();
    }
}

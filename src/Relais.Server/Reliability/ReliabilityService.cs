using Relais.Driver;
using Relais.Protocol;
using Relais.Server.Queue;
using Relais.Server.Storage;

namespace Relais.Server.Reliability;

/// <summary>
/// The coordinator's background duties, started with the server and stopped before it: the <see cref="JobWatchdog"/>
/// every <see cref="ServerOptions.WatchdogInterval"/> (by default a tenth of the shorter timeout, between 1 and 30 s), and the
/// <see cref="StateSweeper"/> once at start (delayed and running jobs) and then every <see cref="SweepEvery"/> (delayed
/// jobs). A pass that fails (the database is down) is logged and tried again at the next tick.
/// </summary>
public sealed class ReliabilityService : IAsyncDisposable
{
    /// <summary>How often timers and resource groups are re-checked after the start.</summary>
    public static readonly TimeSpan SweepEvery = TimeSpan.FromSeconds(30);

    private static readonly CiStatus[] AtStart = [CiStatus.Scheduled, CiStatus.Running, CiStatus.Canceling];
    private static readonly CiStatus[] Periodic = [CiStatus.Scheduled];

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly TextWriter _log;
    private PostgresQueueBridge? _bridge;

    private ReliabilityService(JobWatchdog watchdog, StateSweeper sweeper, JobHeartbeats heartbeats, TimeSpan interval, TimeProvider time, TextWriter log)
    {
        Watchdog = watchdog;
        _log = log;
        _loop = RunAsync(watchdog, sweeper, heartbeats, interval, time, _stop.Token);
    }

    /// <summary>The watchdog (tests read what it failed).</summary>
    public JobWatchdog Watchdog { get; }

    /// <summary>Starts the loop (its first pass re-arms what was stored) and, on PostgreSQL, the wake-up bridge between coordinators.</summary>
    public static ReliabilityService Start(IPipelineStore store, PipelineDriver driver, JobHeartbeats heartbeats, QueueSignal signal, ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var time = options.Time;
        var interval = options.WatchdogInterval ?? Clamp(Min(options.JobHeartbeatTimeout, options.JobPendingTimeout) / 10);
        var watchdog = new JobWatchdog(store, driver, options, time.GetUtcNow());
        return new ReliabilityService(watchdog, new StateSweeper(store, driver, time), heartbeats, interval, time, options.Output)
        {
            _bridge = options.Database is { } db && PostgresDatabase.IsPostgres(db)
                ? new PostgresQueueBridge(PostgresDatabase.ToKeywords(db), signal, options.Output)
                : null,
        };
    }

    private async Task RunAsync(JobWatchdog watchdog, StateSweeper sweeper, JobHeartbeats heartbeats, TimeSpan interval, TimeProvider time, CancellationToken stop)
    {
        await Task.Yield();
        await PassAsync("re-arming stored timers and resource groups", () => sweeper.SweepAsync(AtStart));
        var lastSweep = time.GetTimestamp();
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, time, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await PassAsync("job watchdog", watchdog.CheckAsync);
            heartbeats.Prune();
            if (time.GetElapsedTime(lastSweep) >= SweepEvery)
            {
                lastSweep = time.GetTimestamp();
                await PassAsync("re-arming delayed jobs", () => sweeper.SweepAsync(Periodic));
            }
        }
    }

    private async Task PassAsync(string what, Func<Task> pass)
    {
        try
        {
            await pass();
        }
#pragma warning disable CA1031 // a failed pass (database down) must not end the loop; the next tick tries again
        catch (Exception e)
#pragma warning restore CA1031
        {
            await _log.WriteLineAsync($"relais serve: {what} failed ({e.GetType().Name}: {Relais.Protocol.LogText.Safe(e.Message)}); retrying");
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Clamp(TimeSpan t) => t < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : t > TimeSpan.FromSeconds(30) ? TimeSpan.FromSeconds(30) : t;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
        if (_bridge is not null)
        {
            await _bridge.DisposeAsync();
        }
    }
}

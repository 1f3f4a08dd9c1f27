using Relais.Runner.Agent;

namespace Relais.Server.Tests.Support;

/// <summary>
/// A real runner agent (one shell runner entry, one job at a time) polling a <see cref="TestServer"/> until disposed;
/// disposal stops it gracefully and aborts its jobs after 10 s.
/// </summary>
internal sealed class RunningAgent : IAsyncDisposable
{
    private readonly RunnerAgent _agent;
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly Task _running;

    private RunningAgent(RunnerAgent agent)
    {
        _agent = agent;
        _running = agent.RunAsync(_stop.Token, _abort.Token);
    }

    /// <summary>
    /// Starts an agent for <paramref name="runnerToken"/> named <paramref name="name"/>, with its builds and cache in a
    /// new folder of the server's data dir; <paramref name="timings"/> default to checks and trace updates every
    /// 100 ms and keep-alives every 200 ms, <paramref name="log"/> to none; <paramref name="configure"/> changes the entry.
    /// </summary>
    public static RunningAgent Start(
        TestServer server, string runnerToken, string name, AgentTimings? timings = null, TextWriter? log = null,
        Func<RunnerEntry, RunnerEntry>? configure = null)
    {
        var dir = Path.Combine(server.DataDir, "runner-" + Guid.NewGuid().ToString("N")[..6]);
        var entry = new RunnerEntry
        {
            Name = name,
            Url = new Uri(server.Host.ExternalUrl),
            Token = runnerToken,
            BuildsDir = Path.Combine(dir, "builds"),
            CacheDir = Path.Combine(dir, "cache"),
        };
        timings ??= new AgentTimings
        {
            CheckInterval = TimeSpan.FromMilliseconds(100),
            TraceInterval = TimeSpan.FromMilliseconds(100),
            KeepAliveInterval = TimeSpan.FromMilliseconds(200),
        };
        var config = new AgentConfig { Concurrent = 1, ShutdownTimeout = TimeSpan.FromSeconds(10), Runners = [configure is null ? entry : configure(entry)] };
        return new RunningAgent(new RunnerAgent(config, timings, log: log ?? TextWriter.Null));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _abort.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            await _running;
        }
        finally
        {
            _agent.Dispose();
            _stop.Dispose();
            _abort.Dispose();
        }
    }
}

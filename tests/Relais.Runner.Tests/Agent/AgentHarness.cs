using Relais.Runner.Agent;
using Relais.Runner.Tests.Support;

namespace Relais.Runner.Tests.Agent;

/// <summary>A scripted coordinator and an agent polling it, with short intervals so the tests do not wait.</summary>
public sealed class AgentHarness : IAsyncDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly StringWriter _log = new();

    private AgentHarness(ScriptedCoordinator coordinator) => Coordinator = coordinator;

    public ScriptedCoordinator Coordinator { get; }

    public RunnerAgent Agent { get; private set; } = null!;

    public Task Running { get; private set; } = Task.CompletedTask;

    public string Log => _log.ToString();

    public static RetryBackoff FastBackoff => new() { BaseDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromMilliseconds(50), MaxAttempts = 5, Random = () => 0.5 };

    public static AgentTimings FastTimings => new()
    {
        CheckInterval = TimeSpan.FromMilliseconds(50), KeepAliveInterval = TimeSpan.FromMilliseconds(100), TraceInterval = TimeSpan.FromMilliseconds(100),
        MaxUpdateRetryInterval = TimeSpan.FromMilliseconds(50),
    };

    public static async Task<AgentHarness> StartAsync(int concurrent = 2, Func<RunnerEntry, RunnerEntry>? entry = null, TimeSpan? shutdownTimeout = null)
    {
        var harness = new AgentHarness(await ScriptedCoordinator.StartAsync());
        var runner = new RunnerEntry
        {
            Name = "test-agent", Url = harness.Coordinator.Url, Token = harness.Coordinator.RunnerToken,
            BuildsDir = harness._dir.Combine("builds"), CacheDir = harness._dir.Combine("cache"), Limit = concurrent,
        };
        var config = new AgentConfig { Concurrent = concurrent, ShutdownTimeout = shutdownTimeout ?? TimeSpan.FromMinutes(1), Runners = [entry?.Invoke(runner) ?? runner] };
        harness.Agent = new RunnerAgent(config, FastTimings, FastBackoff, harness._log, "s_000000000000");
        Assert.Empty(await harness.Agent.VerifyAsync(CancellationToken.None));
        harness.Running = Task.Run(() => harness.Agent.RunAsync(harness._stop.Token, harness._abort.Token));
        return harness;
    }

    public void Stop() => _stop.Cancel();

    public void Abort() => _abort.Cancel();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _abort.CancelAfter(TimeSpan.FromSeconds(10));
        await Running.WaitAsync(TimeSpan.FromSeconds(30));
        Agent.Dispose();
        await Coordinator.DisposeAsync();
        _stop.Dispose();
        _abort.Dispose();
        _dir.Dispose();
    }
}

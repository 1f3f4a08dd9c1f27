using Relais.GitOps.Agent;
using Relais.GitOps.Appliers;
using Relais.GitOps.Config;
using Relais.GitOps.Tests.Config;

namespace Relais.GitOps.Tests.Agent;

/// <summary>An agent over a written configuration folder and the fakes of our own interfaces, running until disposed.</summary>
internal sealed class AgentHarness : IAsyncDisposable
{
    public const string Images = """
        apiVersion: image.toolkit.fluxcd.io/v1
        kind: ImageRepository
        metadata: { name: app }
        spec: { image: registry.test/app, interval: 100ms }
        ---
        apiVersion: image.toolkit.fluxcd.io/v1
        kind: ImagePolicy
        metadata: { name: app }
        spec:
          imageRepositoryRef: { name: app }
          policy: { semver: { range: ">=1.0.0" } }
        ---
        apiVersion: image.toolkit.fluxcd.io/v1
        kind: ImageUpdateAutomation
        metadata: { name: app }
        spec:
          sourceRef: { kind: GitRepository, name: app }
          interval: 1h
          git:
            commit: { author: { email: gitops@relais.test } }
          update: { path: ./swarm, strategy: Setters }
        """;

    private readonly ConfigFolder _folder = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _running;

    public AgentHarness(string sourceInterval = "1h", string stackInterval = "100ms", string extra = "", bool withImages = false)
    {
        _folder.Write("sources.yaml", $$"""
            apiVersion: source.toolkit.fluxcd.io/v1
            kind: GitRepository
            metadata: { name: app }
            spec: { url: "https://git.test/group/app.git", ref: { branch: main }, interval: {{sourceInterval}} }
            ---
            apiVersion: gitops.relais.dev/v1
            kind: SwarmStack
            metadata: { name: demo }
            spec: { sourceRef: { kind: GitRepository, name: app }, path: ./swarm/stack.yml, interval: {{stackInterval}} }
            """);
        if (withImages)
        {
            _folder.Write("images.yaml", Images);
        }

        if (extra.Length > 0)
        {
            _folder.Write("extra.yaml", extra);
        }

        var loaded = GitOpsConfig.Load(_folder.Dir, null);
        Assert.Empty(loaded.Errors);
        Config = loaded.Config!;
        Updater = new FakeImageUpdater(Source);
        Agent = new GitOpsAgent(Config, new GitOpsParts(Source, Scanner, Updater, r => Appliers.TryGetValue(r.Name, out var a) ? a : null),
            new GitOpsAgentOptions(State, TimeProvider.System, new AgentLog(Log)));
    }

    public GitOpsConfig Config { get; }

    public GitOpsAgent Agent { get; }

    public FakeGitSource Source { get; } = new();

    public FakeImageScanner Scanner { get; } = new();

    public FakeImageUpdater Updater { get; }

    public Dictionary<string, IApplier> Appliers { get; } = new() { ["demo"] = new RecordingApplier() };

    public RecordingApplier Stack => (RecordingApplier)Appliers["demo"];

    public LogLines Log { get; } = new();

    public string State => Path.Combine(_folder.Dir, "..", "state");

    public GitOpsResource Resource(string name) => ResourceNames.Find(Config, name, out var error) ?? throw new InvalidOperationException(error);

    public void Start() => _running = Agent.RunAsync(_stop.Token);

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        if (_running is not null)
        {
            await _running.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    /// <summary>Waits (up to 10 s) for <paramref name="condition"/>, failing with the agent's log.</summary>
    public async Task UntilAsync(Func<bool> condition, string what)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"timed out waiting for {what}; log:\n{string.Join('\n', Log.Lines)}");
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Agent.Dispose();
        _stop.Dispose();
        _folder.Dispose();
    }
}

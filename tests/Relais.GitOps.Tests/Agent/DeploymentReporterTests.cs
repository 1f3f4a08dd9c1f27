using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Relais.GitOps.Agent;
using Relais.GitOps.Appliers;
using Relais.GitOps.Reporting;
using Relais.GitOps.Sources;
using Relais.GitOps.Tests.Registry;

namespace Relais.GitOps.Tests.Agent;

/// <summary>
/// The deployment reports' requests and their retry when the coordinator does not answer, against a small local HTTP
/// server standing in for the coordinator (the real one is driven in <c>Relais.EndToEnd/GitOpsSwarmTests</c>).
/// </summary>
public sealed class DeploymentReporterTests
{

    [Fact]
    public async Task A_new_commit_is_posted_running_then_put_success_with_the_token_in_the_header_only()
    {
        await using var coordinator = new Coordinator();
        using var reporter = coordinator.Reporter(out var state);
        var resource = Stack();
        var source = Source("aaaa");

        var report = await reporter.StartAsync(resource, source, CancellationToken.None);
        await reporter.FinishAsync(report!, new ApplyResult(true, ["service demo_web"], "applied"), CancellationToken.None);

        Assert.Equal(
            [
                "POST /api/v4/projects/group%2Fapp/deployments {\"environment\":\"production\",\"sha\":\"aaaa\",\"ref\":\"main\",\"tag\":false,\"status\":\"running\"}",
                "PUT /api/v4/projects/group%2Fapp/deployments/7 {\"status\":\"success\"}",
            ],
            coordinator.Requests);
        Assert.All(coordinator.Tokens, t => Assert.Equal("glpat-secret", t));
        Assert.DoesNotContain("glpat-secret", state.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_commit_again_is_reported_only_when_the_apply_changed_something()
    {
        await using var coordinator = new Coordinator();
        using var reporter = coordinator.Reporter(out _);
        var first = await reporter.StartAsync(Stack(), Source("aaaa"), CancellationToken.None);
        await reporter.FinishAsync(first!, new ApplyResult(true, [], "applied"), CancellationToken.None);
        coordinator.Requests.Clear();

        var again = await reporter.StartAsync(Stack(), Source("aaaa"), CancellationToken.None);
        await reporter.FinishAsync(again!, new ApplyResult(true, [], "nothing changed"), CancellationToken.None);
        Assert.Empty(coordinator.Requests);

        var drift = await reporter.StartAsync(Stack(), Source("aaaa"), CancellationToken.None);
        await reporter.FinishAsync(drift!, new ApplyResult(true, ["service demo_web"], "image corrected"), CancellationToken.None);
        Assert.Equal("POST /api/v4/projects/group%2Fapp/deployments {\"environment\":\"production\",\"sha\":\"aaaa\",\"ref\":\"main\",\"tag\":false,\"status\":\"success\"}", Assert.Single(coordinator.Requests));
    }

    [Fact]
    public async Task A_coordinator_that_is_down_gets_the_report_before_the_next_apply()
    {
        await using var coordinator = new Coordinator { Down = true };
        using var reporter = coordinator.Reporter(out var log);
        var report = await reporter.StartAsync(Stack(), Source("bbbb"), CancellationToken.None);
        await reporter.FinishAsync(report!, new ApplyResult(false, [], "did not converge"), CancellationToken.None);
        Assert.Single(log.Lines, l => l.StartsWith("relais gitops: SwarmStack flux-system/demo: deployment to group/app production not reported (503", StringComparison.Ordinal));
        coordinator.Requests.Clear();

        coordinator.Down = false;
        var next = await reporter.StartAsync(Stack(), Source("bbbb"), CancellationToken.None);
        Assert.Equal("POST /api/v4/projects/group%2Fapp/deployments {\"environment\":\"production\",\"sha\":\"bbbb\",\"ref\":\"main\",\"tag\":false,\"status\":\"failed\"}", Assert.Single(coordinator.Requests));
        Assert.False(next!.NewCommit);
    }

    [Fact]
    public void A_kustomization_names_its_target_with_annotations_and_a_resource_without_both_is_not_reported()
    {
        using var folder = new Config.ConfigFolder();
        folder.Write("k.yaml", """
            apiVersion: source.toolkit.fluxcd.io/v1
            kind: GitRepository
            metadata: { name: app }
            spec: { url: "https://git.test/app.git", interval: 1m }
            ---
            apiVersion: kustomize.toolkit.fluxcd.io/v1
            kind: Kustomization
            metadata:
              name: web
              annotations: { gitops.relais.dev/project: group/app, gitops.relais.dev/environment: staging }
            spec: { sourceRef: { kind: GitRepository, name: app }, prune: true, interval: 1m }
            ---
            apiVersion: kustomize.toolkit.fluxcd.io/v1
            kind: Kustomization
            metadata: { name: bare, annotations: { gitops.relais.dev/project: group/app } }
            spec: { sourceRef: { kind: GitRepository, name: app }, prune: true, interval: 1m }
            """);
        var config = Relais.GitOps.Config.GitOpsConfig.Load(folder.Dir, null).Config!;
        Assert.Equal(new DeploymentTarget("group/app", "staging"), DeploymentTarget.Of(config.Kustomizations.First(k => k.Name == "web")));
        Assert.Null(DeploymentTarget.Of(config.Kustomizations.First(k => k.Name == "bare")));
    }

    private static Relais.GitOps.Config.DockerDeployment Stack() => new("SwarmStack", "demo", "flux-system", new Relais.Pipelines.Yaml.SourceLocation("s.yaml", 1, 1),
        new Relais.GitOps.Config.ResourceRef("GitRepository", "app", "flux-system", new Relais.Pipelines.Yaml.SourceLocation("s.yaml", 1, 1)),
        "./stack.yml", "demo", true, TimeSpan.FromSeconds(5), null, "production", "group/app", false);

    private static SourceArtifact Source(string commit) => new("flux-system/app", "/tmp", commit, $"main@sha1:{commit}", "main");

    /// <summary>Answers the deployments API's two calls as Relais does (201 with an id; 200), or 503 while <see cref="Down"/>.</summary>
    private sealed class Coordinator : IAsyncDisposable
    {
        private readonly LocalHttpServer _server;
        private readonly DirectoryInfo _state = Directory.CreateTempSubdirectory("relais-gitops-report-");

        public Coordinator() => _server = new LocalHttpServer(async context =>
        {
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            Requests.Enqueue($"{context.Request.HttpMethod} {context.Request.RawUrl} {await reader.ReadToEndAsync()}");
            Tokens.Enqueue(context.Request.Headers["PRIVATE-TOKEN"] ?? "");
            context.Response.StatusCode = Down ? 503 : context.Request.HttpMethod == "POST" ? 201 : 200;
            var body = Encoding.UTF8.GetBytes(Down ? "{\"message\":\"down\"}" : "{\"id\":7,\"status\":\"x\"}");
            await context.Response.OutputStream.WriteAsync(body);
        });

        public bool Down { get; set; }

        public ConcurrentQueue<string> Requests { get; } = new();

        public ConcurrentQueue<string> Tokens { get; } = new();

        public DeploymentReporter Reporter(out LogLines log)
        {
            log = new LogLines();
            return new DeploymentReporter(new Uri($"http://{_server.Address}/"), "glpat-secret", _state.FullName, new AgentLog(log));
        }

        public async ValueTask DisposeAsync()
        {
            await _server.DisposeAsync();
            _state.Delete(recursive: true);
        }
    }
}

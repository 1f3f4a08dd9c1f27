using Relais.GitOps.Agent;
using Relais.GitOps.Config;
using Relais.TestSupport;

namespace Relais.GitOps.Tests.Agent;

/// <summary>How long the agent lets an apply become healthy: the resource's <c>spec.timeout</c>, else Flux's or the agent's default.</summary>
public sealed class ApplyTimeoutTests
{
    [Fact]
    public void Spec_timeout_wins_a_kustomization_defaults_to_its_interval_and_a_stack_to_the_agents_default()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, "all.yaml"), """
            apiVersion: source.toolkit.fluxcd.io/v1
            kind: GitRepository
            metadata: { name: app }
            spec: { url: https://git.example.com/app.git, interval: 1m }
            ---
            apiVersion: kustomize.toolkit.fluxcd.io/v1
            kind: Kustomization
            metadata: { name: timed }
            spec: { sourceRef: { kind: GitRepository, name: app }, prune: true, interval: 10m, timeout: 2m }
            ---
            apiVersion: kustomize.toolkit.fluxcd.io/v1
            kind: Kustomization
            metadata: { name: untimed }
            spec: { sourceRef: { kind: GitRepository, name: app }, prune: true, interval: 10m }
            ---
            apiVersion: gitops.relais.dev/v1
            kind: SwarmStack
            metadata: { name: timed-stack }
            spec: { sourceRef: { kind: GitRepository, name: app }, path: ./stack.yml, interval: 5s, timeout: 90s }
            ---
            apiVersion: gitops.relais.dev/v1
            kind: ComposeProject
            metadata: { name: compose }
            spec: { sourceRef: { kind: GitRepository, name: app }, path: ./compose.yml, interval: 5s }
            """);

        var config = GitOpsConfig.Load(dir.Path, null);

        Assert.Empty(config.Errors);
        TimeSpan TimeoutOf(string name) => Reconciler.TimeoutOf(config.Config!.Resources.Single(r => r.Name == name), TimeSpan.FromMinutes(5));
        Assert.Equal(TimeSpan.FromMinutes(2), TimeoutOf("timed"));
        Assert.Equal(TimeSpan.FromMinutes(10), TimeoutOf("untimed"));
        Assert.Equal(TimeSpan.FromSeconds(90), TimeoutOf("timed-stack"));
        Assert.Equal(TimeSpan.FromMinutes(5), TimeoutOf("compose"));
    }
}

using Relais.GitOps.Agent;
using Relais.GitOps.Config;

namespace Relais.Cli.Tests;

/// <summary><c>relais gitops</c>'s options, configuration errors and the suspend/resume markers.</summary>
public sealed class GitOpsCommandTests
{
    private const string Stack = """
        apiVersion: source.toolkit.fluxcd.io/v1
        kind: GitRepository
        metadata: { name: app }
        spec: { url: "https://git.test/group/app.git", interval: 1m }
        ---
        apiVersion: gitops.relais.dev/v1
        kind: SwarmStack
        metadata: { name: demo }
        spec: { sourceRef: { kind: GitRepository, name: app }, path: ./stack.yml, interval: 5s }
        """;

    [Fact]
    public void Configuration_errors_print_file_line_column_and_exit_2_before_anything_runs()
    {
        using var repo = new GitRepo().Write("gitops/app.yaml", Stack.Replace("interval: 5s", "intervl: 5s", StringComparison.Ordinal));
        var (exit, _, err) = repo.Relais("gitops", "--config", "gitops", "--state", "state");
        Assert.Equal(2, exit);
        Assert.Contains("app.yaml:9:", err, StringComparison.Ordinal);
        Assert.Contains("unknown field \"spec.intervl\" (did you mean interval?)", err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(repo.Root, "state")));
    }

    [Fact]
    public void Options_are_checked()
    {
        using var repo = new GitRepo();
        Assert.Equal(2, repo.Relais("gitops").Exit);
        Assert.Contains("--config DIR is needed", repo.Relais("gitops").Err, StringComparison.Ordinal);
        Assert.Contains("NAME is missing", repo.Relais("gitops", "reconcile", "--config", "x").Err, StringComparison.Ordinal);
        Assert.Contains("--coordinator and --token-file go together", repo.Relais("gitops", "--config", "x", "--coordinator", "http://h").Err, StringComparison.Ordinal);
        Assert.Equal(0, repo.Relais("gitops", "--help").Exit);
    }

    [Fact]
    public void Suspend_and_resume_write_and_remove_the_marker_the_agent_reads()
    {
        using var repo = new GitRepo().Write("gitops/app.yaml", Stack);
        var config = GitOpsConfig.Load(Path.Combine(repo.Root, "gitops"), null).Config!;
        var stack = config.DockerDeployments.Single();
        var markers = new SuspendMarkers(Path.Combine(repo.Root, "state"));

        var (exit, output, _) = repo.Relais("gitops", "suspend", "demo", "--config", "gitops", "--state", "state");
        Assert.Equal(0, exit);
        Assert.Contains("SwarmStack flux-system/demo: suspended", output, StringComparison.Ordinal);
        Assert.True(markers.IsSuspended(stack));

        Assert.Equal(0, repo.Relais("gitops", "resume", "swarmstack/demo", "--config", "gitops", "--state", "state").Exit);
        Assert.False(markers.IsSuspended(stack));

        // Without --config, the NAME is written as given and the agent matches it.
        Assert.Equal(0, repo.Relais("gitops", "suspend", "flux-system/demo", "--state", "state").Exit);
        Assert.True(markers.IsSuspended(stack));
        Assert.False(markers.IsSuspended(config.GitRepositories.Single()));
        Assert.Contains("resumed", repo.Relais("gitops", "resume", "flux-system/demo", "--state", "state").Out, StringComparison.Ordinal);
        Assert.False(markers.IsSuspended(stack));

        var (unknown, _, err) = repo.Relais("gitops", "suspend", "nope", "--config", "gitops", "--state", "state");
        Assert.Equal(2, unknown);
        Assert.Contains("no resource is named \"nope\"", err, StringComparison.Ordinal);
    }
}

using Relais.GitOps.Agent;
using Relais.GitOps.Appliers;

namespace Relais.GitOps.Tests.Agent;

/// <summary>The agent's scheduling with small fakes of our own interfaces: intervals, wake-ups, suspend, errors, stopping.</summary>
public sealed class GitOpsAgentTests
{
    [Fact]
    public async Task A_stack_is_applied_after_its_source_is_fetched_and_again_on_every_interval()
    {
        await using var agent = new AgentHarness(stackInterval: "100ms");
        agent.Start();
        await agent.UntilAsync(() => agent.Stack.Applies.Count >= 3, "three applies");
        Assert.All(agent.Stack.Applies, a => Assert.Equal(agent.Source.Commit, a.Source.Commit));
        Assert.Equal(1, agent.Source.Fetches);
        Assert.Contains(agent.Log.Lines, l => l == $"relais gitops: SwarmStack flux-system/demo: applied main@sha1:{agent.Source.Commit}: nothing changed");
    }

    [Fact]
    public async Task A_resource_waits_for_its_sources_first_fetch_and_an_error_is_logged_once()
    {
        await using var agent = new AgentHarness(sourceInterval: "50ms", stackInterval: "50ms");
        agent.Source.Failure = "git.test: authentication failed";
        agent.Start();
        await agent.UntilAsync(() => agent.Source.Fetches >= 5, "five failed fetches");
        Assert.Empty(agent.Stack.Applies);
        Assert.Single(agent.Log.Lines, l => l == "relais gitops: GitRepository flux-system/app: git.test: authentication failed");

        agent.Source.Failure = null;
        await agent.UntilAsync(() => !agent.Stack.Applies.IsEmpty, "an apply once the source is fetched");
        await agent.UntilAsync(() => agent.Log.Lines.Contains("relais gitops: GitRepository flux-system/app: ready"), "the recovery logged");
    }

    [Fact]
    public async Task An_unhealthy_apply_is_logged_once_per_message_and_other_resources_go_on()
    {
        var second = """
            apiVersion: gitops.relais.dev/v1
            kind: ComposeProject
            metadata: { name: other }
            spec: { sourceRef: { kind: GitRepository, name: app }, path: ./compose.yml, interval: 50ms }
            """;
        await using var agent = new AgentHarness(stackInterval: "50ms", extra: second);
        agent.Stack.Answer = _ => throw new InvalidOperationException("docker: cannot connect to the daemon");
        var other = new RecordingApplier();
        agent.Appliers["other"] = other;
        agent.Start();
        await agent.UntilAsync(() => agent.Stack.Applies.Count >= 4 && other.Applies.Count >= 4, "both resources applied several times");
        Assert.Single(agent.Log.Lines, l => l == "relais gitops: SwarmStack flux-system/demo: docker: cannot connect to the daemon");

        agent.Stack.Answer = _ => new ApplyResult(false, ["service demo_web"], "service demo_web: task exited (1)", RolledBack: true);
        var applies = agent.Stack.Applies.Count;
        await agent.UntilAsync(() => agent.Stack.Applies.Count >= applies + 3, "more applies");
        Assert.Single(agent.Log.Lines, l => l.EndsWith(": service demo_web: task exited (1) (rolled back)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_new_tag_flows_through_policy_and_automation_and_the_push_is_applied_before_the_intervals_end()
    {
        // The stack's and the source's intervals are an hour: only the wake-ups can bring the new commit to the applier.
        await using var agent = new AgentHarness(stackInterval: "1h", withImages: true);
        agent.Start();
        await agent.UntilAsync(() => agent.Stack.Applies.Any(a => a.Source.Commit == agent.Source.Commit && agent.Source.Fetches >= 2), "the first update applied");

        agent.Scanner.Tags = ["1.0.0", "1.0.1", "1.1.0", "2.0.0-rc.1", "tmp"];
        await agent.UntilAsync(() => agent.Stack.Applies.Any(a => a.Source.Commit == agent.Source.Commit && agent.Updater.Calls.Any(c => c.TryGetValue("flux-system:app", out var i) && i.Tag == "1.1.0")), "1.1.0 applied");
        Assert.Contains(agent.Log.Lines, l => l == "relais gitops: ImagePolicy flux-system/app: latest image registry.test/app:1.1.0 (was 1.0.0)");
        Assert.Contains(agent.Log.Lines, l => l.StartsWith("relais gitops: ImageUpdateAutomation flux-system/app: pushed ", StringComparison.Ordinal) && l.EndsWith(" to main: swarm/stack.yml:3 registry.test/app:1.1.0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_suspend_marker_stops_applies_at_the_next_interval_and_resume_restarts_them()
    {
        await using var agent = new AgentHarness(stackInterval: "50ms");
        agent.Start();
        await agent.UntilAsync(() => agent.Stack.Applies.Count >= 2, "applies");
        var markers = new SuspendMarkers(agent.State);
        markers.Suspend(agent.Resource("demo"));
        await agent.UntilAsync(() => agent.Log.Lines.Contains("relais gitops: SwarmStack flux-system/demo: suspended"), "suspended");
        var applies = agent.Stack.Applies.Count;
        await Task.Delay(300);
        Assert.Equal(applies, agent.Stack.Applies.Count);

        Assert.True(markers.Resume(agent.Resource("demo")));
        await agent.UntilAsync(() => agent.Stack.Applies.Count > applies, "applies again");
        Assert.Contains("relais gitops: SwarmStack flux-system/demo: resumed", agent.Log.Lines);
    }

    [Fact]
    public async Task Suspend_in_the_spec_wins()
    {
        var suspended = """
            apiVersion: gitops.relais.dev/v1
            kind: SwarmStack
            metadata: { name: paused }
            spec: { sourceRef: { kind: GitRepository, name: app }, path: ./x.yml, interval: 50ms, suspend: true }
            """;
        await using var agent = new AgentHarness(stackInterval: "50ms", extra: suspended);
        var paused = new RecordingApplier();
        agent.Appliers["paused"] = paused;
        new SuspendMarkers(agent.State).Resume(agent.Resource("paused"));
        agent.Start();
        await agent.UntilAsync(() => agent.Stack.Applies.Count >= 3, "the other stack applied");
        Assert.Empty(paused.Applies);
        var outcome = await agent.Agent.ReconcileOnceAsync(agent.Resource("paused"), CancellationToken.None);
        Assert.False(outcome.Ready);
        Assert.Equal("suspended", outcome.Message);
    }

    [Fact]
    public async Task Stopping_lets_the_running_apply_finish()
    {
        await using var agent = new AgentHarness(stackInterval: "1h");
        agent.Stack.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        agent.Start();
        await agent.Stack.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var stopping = agent.StopAsync();
        await Task.Delay(200);
        Assert.False(stopping.IsCompleted);
        agent.Stack.Gate.SetResult();
        await stopping;
        Assert.Equal(1, agent.Stack.Finished);
        Assert.Equal("relais gitops: stopped", agent.Log.Lines[^1]);
    }

    [Fact]
    public async Task Reconcile_once_runs_what_the_resource_depends_on_first()
    {
        await using var agent = new AgentHarness(withImages: true);
        agent.Scanner.Tags = ["1.0.0", "1.2.0"];
        var automation = await agent.Agent.ReconcileOnceAsync(agent.Resource("ImageUpdateAutomation/app"), CancellationToken.None);
        Assert.True(automation.Ready);
        Assert.Equal("1.2.0", agent.Updater.Calls.Single()["flux-system:app"].Tag);
        Assert.Equal(2, agent.Source.Fetches); // before the update, and after its push

        var stack = await agent.Agent.ReconcileOnceAsync(agent.Resource("demo"), CancellationToken.None);
        Assert.True(stack.Ready);
        Assert.Equal(agent.Source.Commit, agent.Stack.Applies.Single().Source.Commit);

        agent.Stack.Answer = _ => new ApplyResult(false, [], "service demo_web did not converge");
        var unhealthy = await agent.Agent.ReconcileOnceAsync(agent.Resource("demo"), CancellationToken.None);
        Assert.False(unhealthy.Ready);
        Assert.EndsWith("service demo_web did not converge", unhealthy.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diff_fetches_the_source_and_answers_the_appliers_entries()
    {
        await using var agent = new AgentHarness();
        var entries = await agent.Agent.DiffAsync(agent.Resource("SwarmStack/demo"), CancellationToken.None);
        Assert.Equal(new DiffEntry("service demo_web", "update", "image at 1111111"), Assert.Single(entries));
        Assert.Empty(agent.Stack.Applies);
    }

    [Fact]
    public void Names_resolve_by_name_kind_and_namespace_and_ambiguity_is_an_error()
    {
        var extra = """
            apiVersion: gitops.relais.dev/v1
            kind: ComposeProject
            metadata: { name: demo, namespace: other }
            spec: { sourceRef: { kind: GitRepository, name: app, namespace: flux-system }, path: ./x.yml, interval: 1m }
            """;
        var agent = new AgentHarness(extra: extra);
        Assert.Null(ResourceNames.Find(agent.Config, "demo", out var error));
        Assert.Equal("\"demo\" is ambiguous: ComposeProject/other/demo, SwarmStack/flux-system/demo", error);
        Assert.Equal("SwarmStack", ResourceNames.Find(agent.Config, "swarmstack/demo", out _)!.Kind);
        Assert.Equal("ComposeProject", ResourceNames.Find(agent.Config, "other/demo", out _)!.Kind);
        Assert.Equal("GitRepository", ResourceNames.Find(agent.Config, "app", out _)!.Kind);
        Assert.Null(ResourceNames.Find(agent.Config, "nope", out error));
        Assert.Equal("no resource is named \"nope\" (use name, kind/name or namespace/name)", error);
    }
}

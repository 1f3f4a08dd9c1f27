using System.Diagnostics;
using Relais.GitOps.Appliers;
using Relais.GitOps.Appliers.Docker;
using Relais.TestSupport;
using Xunit.Abstractions;
using static Relais.GitOps.Tests.Appliers.Docker.DockerTestHost;

namespace Relais.GitOps.Tests.Appliers.Docker;

/// <summary>
/// <see cref="SwarmApplier"/> on the test engine's one-node swarm: a stack of busybox services under tags of the test's
/// own (<c>relais-gitops-test/app-RUN:1.0.1</c>), removed with everything of the stack at the end.
/// </summary>
public sealed class SwarmApplierTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private readonly TempDirectory _source = new("gitops-swarm");
    private readonly SwarmApplier _applier = new();

    private string Stack => "gitops-" + _run;

    private string Image => "relais-gitops-test/app-" + _run;

    public async Task InitializeAsync()
    {
        if (DockerTest.SkipReason is null)
        {
            await EnsureSwarmAsync();
            await TagAsync(Image, "1.0.1", "1.1.0");
        }
    }

    public async Task DisposeAsync()
    {
        if (DockerTest.SkipReason is null)
        {
            await TryDockerAsync("stack", "rm", Stack);
            foreach (var kind in new[] { "config", "secret" })
            {
                var left = (await TryDockerAsync(kind, "ls", "-q", "--filter", $"label={SwarmState.StackLabel}={Stack}")).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
                if (left.Length > 0)
                {
                    await TryDockerAsync([kind, "rm", .. left]);
                }
            }

            await TryDockerAsync("rmi", $"{Image}:1.0.1", $"{Image}:1.1.0");
        }

        _source.Dispose();
    }

    [DockerFact]
    public async Task Applies_a_stack_then_its_new_image_and_applying_again_changes_nothing()
    {
        WriteStack("1.0.1");
        var watch = Stopwatch.StartNew();
        var first = await ApplyAsync();
        output.WriteLine($"apply v1 (create): {watch.Elapsed.TotalSeconds:F1} s — {first.Message}");
        Assert.True(first.Healthy, first.Message);
        Assert.Equal([$"service {Stack}_web"], first.Changed);
        Assert.Equal([$"{Image}:1.0.1"], await RunningImagesAsync($"{Stack}_web"));

        WriteStack("1.1.0");
        var diff = await _applier.DiffAsync(Request(), CancellationToken.None);
        var entry = Assert.Single(diff);
        Assert.Equal(($"service {Stack}_web", "update"), (entry.Object, entry.Change));
        Assert.Equal($"image {Image}:1.0.1 → {Image}:1.1.0", entry.Detail);

        watch.Restart();
        var second = await ApplyAsync();
        output.WriteLine($"apply v2 (update): {watch.Elapsed.TotalSeconds:F1} s — {second.Message}");
        Assert.True(second.Healthy, second.Message);
        Assert.Equal([$"service {Stack}_web"], second.Changed);
        Assert.Equal([$"{Image}:1.1.0"], await RunningImagesAsync($"{Stack}_web"));

        Assert.Empty(await _applier.DiffAsync(Request(), CancellationToken.None));
        var again = await ApplyAsync();
        Assert.True(again.Healthy, again.Message);
        Assert.Empty(again.Changed);
    }

    [DockerFact]
    public async Task A_change_made_by_hand_is_shown_by_diff_and_corrected_by_the_next_apply()
    {
        WriteStack("1.0.1");
        Assert.True((await ApplyAsync()).Healthy);

        var port = FreePorts.Next();
        await DockerAsync("service", "update", "--detach", "--image", $"{Image}:1.1.0", "--replicas", "2", "--env-add", "GREETING=bye",
            "--publish-add", $"mode=host,published={port},target=80", $"{Stack}_web");
        var entry = Assert.Single(await _applier.DiffAsync(Request(), CancellationToken.None));
        Assert.Equal($"image {Image}:1.1.0 → {Image}:1.0.1; replicas 2 → replicas 1; environment GREETING; ports {port}:80/tcp host → none", entry.Detail);

        var corrected = await ApplyAsync();
        Assert.True(corrected.Healthy, corrected.Message);
        Assert.Equal([$"service {Stack}_web"], corrected.Changed);
        Assert.Equal([$"{Image}:1.0.1"], await RunningImagesAsync($"{Stack}_web"));
        Assert.Empty(await _applier.DiffAsync(Request(), CancellationToken.None)); // environment and ports restored too
    }

    [DockerFact]
    public async Task A_changed_config_file_makes_a_new_hashed_config_rolls_the_service_and_removes_the_old_one()
    {
        _source.Write("swarm/app.conf", "one\n");
        _source.Write("swarm/token.txt", "s3cret");
        WriteStack("1.0.1", config: true);
        var first = await ApplyAsync();
        Assert.True(first.Healthy, first.Message);
        var secret = Assert.Single(first.Changed, c => c.StartsWith("secret ", StringComparison.Ordinal))["secret ".Length..];
        Assert.Matches($"^{Stack}_token-[0-9a-f]{{8}}$", secret);
        var oldConfig = Assert.Single(first.Changed, c => c.StartsWith("config ", StringComparison.Ordinal))["config ".Length..];
        Assert.Matches($"^{Stack}_app-conf-[0-9a-f]{{8}}$", oldConfig);

        _source.Write("swarm/app.conf", "two\n");
        var diff = await _applier.DiffAsync(Request(), CancellationToken.None);
        Assert.Contains(diff, d => d.Object == $"service {Stack}_web" && d.Change == "update" && d.Detail!.StartsWith("config ", StringComparison.Ordinal));
        var second = await ApplyAsync();
        Assert.True(second.Healthy, second.Message);
        var newConfig = Assert.Single(second.Changed, c => c.StartsWith("config ", StringComparison.Ordinal) && !c.Contains(oldConfig, StringComparison.Ordinal))["config ".Length..];
        Assert.NotEqual(oldConfig, newConfig);
        Assert.Contains($"service {Stack}_web", second.Changed);
        Assert.Contains($"config {oldConfig}", second.Changed); // removed after the healthy apply
        Assert.Equal(newConfig, await DockerAsync("service", "inspect", "--format", "{{(index .Spec.TaskTemplate.ContainerSpec.Configs 0).ConfigName}}", $"{Stack}_web"));
        Assert.Equal(newConfig, await DockerAsync("config", "ls", "--filter", $"label={SwarmState.StackLabel}={Stack}", "--format", "{{.Name}}"));
        Assert.DoesNotContain(second.Changed, c => c.StartsWith("secret ", StringComparison.Ordinal)); // its content did not change
        Assert.Equal(secret, await DockerAsync("secret", "ls", "--filter", $"label={SwarmState.StackLabel}={Stack}", "--format", "{{.Name}}"));
        Assert.Equal(["app.conf", "stack.yml", "token.txt"], Directory.GetFiles(_source.Path, "*", SearchOption.AllDirectories).Select(Path.GetFileName).Order(StringComparer.Ordinal)); // nothing written into the source
    }

    [DockerFact]
    public async Task A_rollout_that_does_not_converge_is_rolled_back_to_the_previous_image()
    {
        WriteStack("1.0.1");
        Assert.True((await ApplyAsync()).Healthy);

        WriteStack("1.1.0", command: "exit 3");
        var watch = Stopwatch.StartNew();
        var failed = await ApplyAsync(TimeSpan.FromSeconds(30));
        output.WriteLine($"failing apply: {watch.Elapsed.TotalSeconds:F1} s — {failed.Message}");
        Assert.False(failed.Healthy);
        Assert.True(failed.RolledBack, failed.Message);
        Assert.Contains($"service {Stack}_web did not converge", failed.Message, StringComparison.Ordinal);
        Assert.Contains("non-zero exit (3)", failed.Message, StringComparison.Ordinal);
        Assert.Contains($"rolled back {Stack}_web", failed.Message, StringComparison.Ordinal);
        Assert.Equal($"{Image}:1.0.1", SwarmService.WithoutDigest(await DockerAsync("service", "inspect", "--format", "{{.Spec.TaskTemplate.ContainerSpec.Image}}", $"{Stack}_web")));
        Assert.Equal([$"{Image}:1.0.1"], await RunningImagesAsync($"{Stack}_web"));

        // The file put back as it was: the rolled-back service is healthy again (its past rollback is no failure of this apply).
        WriteStack("1.0.1");
        var restored = await ApplyAsync();
        Assert.True(restored.Healthy, restored.Message);
    }

    [DockerFact]
    public async Task Prune_removes_a_service_dropped_from_the_file()
    {
        WriteStack("1.0.1", worker: true);
        var first = await ApplyAsync();
        Assert.True(first.Healthy, first.Message);
        Assert.Equal([$"service {Stack}_web", $"service {Stack}_worker"], first.Changed);

        WriteStack("1.0.1");
        Assert.Equal([new DiffEntry($"service {Stack}_worker", "delete", null)], await _applier.DiffAsync(Request(), CancellationToken.None));
        var pruned = await ApplyAsync();
        Assert.True(pruned.Healthy, pruned.Message);
        Assert.Equal([$"service {Stack}_worker"], pruned.Changed);
        Assert.Equal($"{Stack}_web", await DockerAsync("service", "ls", "--filter", $"label={SwarmState.StackLabel}={Stack}", "--format", "{{.Name}}"));
    }

    private ApplyRequest Request(TimeSpan? timeout = null) =>
        DockerTestHost.Request("SwarmStack", Stack, _source.Path, "./swarm/stack.yml", prune: true, timeout ?? Timeout);

    private Task<ApplyResult> ApplyAsync(TimeSpan? timeout = null) => _applier.ApplyAsync(Request(timeout), CancellationToken.None);

    /// <summary>
    /// The stack file: a web service (busybox sleeping, or <paramref name="command"/>), dnsrr as this engine needs, short
    /// grace and monitor periods so that rollouts are quick; optionally a config from <c>app.conf</c> and a worker.
    /// </summary>
    private void WriteStack(string tag, string command = "sleep 3600", bool config = false, bool worker = false)
    {
        var configs = config ? "\n    configs: [{ source: app-conf, target: /etc/app.conf }]\n    secrets: [token]" : "";
        var workerService = worker ? $"""

              worker:
                image: {Image}:{tag}
                command: ["sleep", "3600"]
                stop_grace_period: 1s
                deploy: {"{"} mode: global, endpoint_mode: dnsrr {"}"}
            """ : "";
        var configSection = config ? "\nconfigs:\n  app-conf:\n    file: ./app.conf\nsecrets:\n  token:\n    file: ./token.txt\n" : "";
        _source.Write("swarm/stack.yml", $"""
            version: "3.8"
            services:
              web:
                image: {Image}:{tag}
                command: ["sh", "-c", "{command}"]
                environment: {"{"} GREETING: hello {"}"}
                stop_grace_period: 1s{configs}
                deploy:
                  replicas: 1
                  endpoint_mode: dnsrr
                  restart_policy: {"{"} condition: any, delay: 1s {"}"}
                  update_config: {"{"} failure_action: pause, monitor: 1s {"}"}
                  rollback_config: {"{"} monitor: 1s {"}"}{workerService}
            """ + configSection);
    }
}

using System.Diagnostics;
using Relais.GitOps.Appliers;
using Relais.GitOps.Appliers.Docker;
using Relais.TestSupport;
using Xunit.Abstractions;
using static Relais.GitOps.Tests.Appliers.Docker.DockerTestHost;

namespace Relais.GitOps.Tests.Appliers.Docker;

/// <summary>
/// <see cref="ComposeApplier"/> on the test engine with the Compose found there (<c>docker compose</c>, else Debian's
/// <c>docker-compose</c>): a project of the test's own, its containers and network removed at the end.
/// </summary>
public sealed class ComposeApplierTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private readonly TempDirectory _source = new("gitops-compose");
    private readonly ComposeApplier _applier = new();

    private string Project => "gitops-" + _run;

    private string Image => "relais-gitops-test/app-" + _run;

    public async Task InitializeAsync()
    {
        if (DockerTest.SkipReason is null)
        {
            await TagAsync(Image, "1.0.1", "1.1.0");
        }
    }

    public async Task DisposeAsync()
    {
        if (DockerTest.SkipReason is null)
        {
            var containers = (await TryDockerAsync("ps", "-aq", "--filter", $"label={ComposeContainer.ProjectLabel}={Project}")).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (containers.Length > 0)
            {
                await TryDockerAsync(["rm", "-f", .. containers]);
            }

            await TryDockerAsync("network", "rm", Project + "_default");
            await TryDockerAsync("rmi", $"{Image}:1.0.1", $"{Image}:1.1.0");
        }

        _source.Dispose();
    }

    [DockerFact]
    public async Task Brings_a_project_up_updates_its_image_removes_an_orphan_and_applying_again_changes_nothing()
    {
        WriteProject("1.0.1", worker: true);
        var watch = Stopwatch.StartNew();
        var first = await ApplyAsync();
        output.WriteLine($"compose up: {watch.Elapsed.TotalSeconds:F1} s — {first.Message}");
        Assert.True(first.Healthy, first.Message);
        Assert.Equal(["service web", "service worker"], first.Changed);
        Assert.Equal([$"{Image}:1.0.1"], await ImagesAsync("web"));

        WriteProject("1.1.0");
        Assert.Equal(
            [new DiffEntry("service web", "update", $"image {Image}:1.0.1 → {Image}:1.1.0"), new DiffEntry("service worker", "delete", "orphan containers")],
            await _applier.DiffAsync(Request(), CancellationToken.None));
        watch.Restart();
        var second = await ApplyAsync();
        output.WriteLine($"compose up (new image, orphan): {watch.Elapsed.TotalSeconds:F1} s — {second.Message}");
        Assert.True(second.Healthy, second.Message);
        Assert.Equal(["service web", "service worker"], second.Changed);
        Assert.Equal([$"{Image}:1.1.0"], await ImagesAsync("web"));
        Assert.Empty(await ImagesAsync("worker"));

        Assert.Empty(await _applier.DiffAsync(Request(), CancellationToken.None));
        var again = await ApplyAsync();
        Assert.True(again.Healthy, again.Message);
        Assert.Empty(again.Changed);
    }

    [DockerFact]
    public async Task Waits_for_a_healthcheck_and_reports_a_container_that_exits_with_its_last_log_lines()
    {
        WriteProject("1.0.1", healthcheck: true);
        var healthy = await ApplyAsync();
        Assert.True(healthy.Healthy, healthy.Message);
        Assert.Equal("healthy", await DockerAsync("inspect", "--format", "{{.State.Health.Status}}", (await ContainerIdsAsync("web")).Single()));

        WriteProject("1.1.0", command: "echo starting; echo boom >&2; exit 4");
        var failed = await ApplyAsync();
        Assert.False(failed.Healthy);
        Assert.False(failed.RolledBack);
        Assert.Contains("service web not healthy: container", failed.Message, StringComparison.Ordinal);
        Assert.Contains("exited (4)", failed.Message, StringComparison.Ordinal);
        Assert.Contains("starting | boom", failed.Message, StringComparison.Ordinal);
    }

    private ApplyRequest Request() => DockerTestHost.Request("ComposeProject", Project, _source.Path, "compose/docker-compose.yml", prune: true, TimeSpan.FromSeconds(60));

    private Task<ApplyResult> ApplyAsync() => _applier.ApplyAsync(Request(), CancellationToken.None);

    private async Task<string[]> ContainerIdsAsync(string service) =>
        (await DockerAsync("ps", "-aq", "--filter", $"label={ComposeContainer.ProjectLabel}={Project}", "--filter", $"label=com.docker.compose.service={service}"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private async Task<IReadOnlyList<string>> ImagesAsync(string service)
    {
        var images = new List<string>();
        foreach (var id in await ContainerIdsAsync(service))
        {
            images.Add(await DockerAsync("inspect", "--format", "{{.Config.Image}} {{.State.Status}}", id));
        }

        return [.. images.Where(i => i.EndsWith(" running", StringComparison.Ordinal)).Select(i => i[..i.IndexOf(' ', StringComparison.Ordinal)])];
    }

    private void WriteProject(string tag, bool worker = false, bool healthcheck = false, string command = "sleep 3600")
    {
        var check = healthcheck ? "\n    healthcheck: { test: [\"CMD\", \"true\"], interval: 1s, timeout: 2s, retries: 3 }" : "";
        var workerService = worker ? $"\n  worker:\n    image: {Image}:{tag}\n    command: [\"sleep\", \"3600\"]\n    stop_grace_period: 1s\n" : "";
        _source.Write("compose/docker-compose.yml", $"""
            version: "3.8"
            services:
              web:
                image: {Image}:{tag}
                command: ["sh", "-c", "{command}"]
                environment: {"{"} GREETING: hello {"}"}
                stop_grace_period: 1s{check}
            """ + workerService);
    }
}

using System.Net.Http.Json;
using System.Text.Json;
using Relais.Runner.Docker;

namespace Relais.EndToEnd;

/// <summary>The same path with the Docker executor: a `relais runner --executor docker`, and `relais serve`'s embedded runner.</summary>
public sealed partial class PushToRunnerTests
{
    private const string DockerPipeline = """
        stages: [build, test]
        build:
          stage: build
          image: relais-test/busybox:latest
          services:
            - name: relais-test/busybox:latest
              alias: web
              entrypoint: [sh, -c]
              command: ["mkdir -p /www && echo served-by-web > /www/index.html && exec httpd -f -p 8080 -h /www"]
          script:
            - printf 'GET / HTTP/1.0\r\n\r\n' | nc web 8080 | tail -1 > page.txt
            - echo "in container $(hostname) page $(cat page.txt)"
          artifacts: { paths: [page.txt] }
        test:
          stage: test
          script:
            - echo "shell sees $(cat page.txt)"
        """;

    [DockerFact]
    public async Task A_push_runs_its_pipeline_on_a_docker_runner_with_a_service()
    {
        var (url, port, rootToken, server) = await StartServerAsync(embeddedRunner: false);
        using var http = Client(url, rootToken);
        using var registration = await http.PostAsync("/api/v4/user/runners",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["runner_type"] = "instance_type", ["run_untagged"] = "true" }));
        var runnerToken = (await registration.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        var runner = _workspace.Start(new RelaisProcess(Root, null, "runner", "--url", url, "--token", runnerToken, "--executor", "docker",
            "--docker-image", "relais-test/busybox:latest", "--builds-dir", Path.Combine(Root, "builds"), "--cache-dir", Path.Combine(Root, "cache")));

        PushNewRepository(DockerPipeline, port, rootToken);
        var pipeline = await WaitForPipelineAsync(http, TimeSpan.FromSeconds(90), server, runner, "main", "success", "failed", "canceled");

        Assert.True(pipeline.GetProperty("status").GetString() == "success", $"pipeline {pipeline}\nserver:\n{server.Output}\nrunner:\n{runner.Output}");
        var jobs = (await JobsAsync(http, pipeline)).ToDictionary(j => j.GetProperty("name").GetString()!, j => j.GetProperty("id").GetInt64());
        var build = await http.GetStringAsync($"/api/v4/projects/root%2Fdemo/jobs/{jobs["build"]}/trace");
        var test = await http.GetStringAsync($"/api/v4/projects/root%2Fdemo/jobs/{jobs["test"]}/trace");
        Assert.Contains("Using Docker executor with image relais-test/busybox:latest", build, StringComparison.Ordinal);
        Assert.Contains("page served-by-web", build, StringComparison.Ordinal);
        Assert.Contains("Using Docker executor with image relais-test/busybox:latest", test, StringComparison.Ordinal);
        Assert.Contains("shell sees served-by-web", test, StringComparison.Ordinal);
    }

    [DockerFact]
    public async Task The_embedded_runner_runs_jobs_with_an_image_in_docker_and_the_others_in_the_shell()
    {
        var (url, port, rootToken, server) = await StartServerAsync();
        using var http = Client(url, rootToken);

        PushNewRepository(DockerPipeline, port, rootToken);
        var pipeline = await WaitForPipelineAsync(http, TimeSpan.FromSeconds(90), server, server, "main", "success", "failed", "canceled");

        Assert.True(pipeline.GetProperty("status").GetString() == "success", $"pipeline {pipeline}\nserver:\n{server.Output}");
        var jobs = (await JobsAsync(http, pipeline)).ToDictionary(j => j.GetProperty("name").GetString()!, j => j.GetProperty("id").GetInt64());
        var build = await http.GetStringAsync($"/api/v4/projects/root%2Fdemo/jobs/{jobs["build"]}/trace");
        var test = await http.GetStringAsync($"/api/v4/projects/root%2Fdemo/jobs/{jobs["test"]}/trace");
        Assert.Contains("Using Docker executor with image relais-test/busybox:latest", build, StringComparison.Ordinal);
        Assert.Contains("Using Shell (", test, StringComparison.Ordinal);
        Assert.Contains("shell sees served-by-web", test, StringComparison.Ordinal);
    }

    [DockerFact]
    public async Task Relais_runner_cleanup_removes_and_prints_a_crashed_runners_leftovers()
    {
        var runner = "cleanup-" + Guid.NewGuid().ToString("N")[..8];
        using var docker = new DockerClient();
        KeyValuePair<string, string>[] labels = [KeyValuePair.Create("relais.managed", "true"), KeyValuePair.Create("relais.runner", runner), KeyValuePair.Create("relais.run.id", runner)];
        await docker.CreateVolumeAsync($"relais-{runner}-builds", labels, CancellationToken.None);
        await docker.CreateNetworkAsync($"relais-{runner}", labels, CancellationToken.None);
        var spec = new System.Text.Json.Nodes.JsonObject
        {
            ["Image"] = "relais-test/busybox:latest", ["Cmd"] = new System.Text.Json.Nodes.JsonArray("sleep", "300"),
            ["Labels"] = new System.Text.Json.Nodes.JsonObject { ["relais.managed"] = "true", ["relais.runner"] = runner, ["relais.run.id"] = runner },
        };
        var id = await docker.CreateContainerAsync($"relais-{runner}-script-1", spec, CancellationToken.None);
        await docker.StartContainerAsync(id, CancellationToken.None);

        var cleanup = _workspace.Start(new RelaisProcess(Root, null, "runner", "cleanup", "--runner", runner));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!cleanup.Output.Contains("resource(s)", StringComparison.Ordinal) && !cleanup.Output.Contains("nothing to remove", StringComparison.Ordinal) && watch.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(100);
        }

        Assert.Contains($"removed container relais-{runner}-script-1", cleanup.Output, StringComparison.Ordinal);
        Assert.Contains($"removed network relais-{runner}", cleanup.Output, StringComparison.Ordinal);
        Assert.Contains($"removed volume relais-{runner}-builds", cleanup.Output, StringComparison.Ordinal);
        Assert.Contains("removed 3 resource(s)", cleanup.Output, StringComparison.Ordinal);
        Assert.Empty(await docker.ListContainersAsync(labels, CancellationToken.None));
        Assert.Empty(await docker.ListNetworksAsync(labels, CancellationToken.None));
        Assert.Empty(await docker.ListVolumesAsync(labels, CancellationToken.None));
    }
}

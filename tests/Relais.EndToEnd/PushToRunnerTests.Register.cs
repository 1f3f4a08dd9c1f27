using System.Net.Http.Json;
using System.Text.Json;

namespace Relais.EndToEnd;

/// <summary>
/// <c>relais runner register</c> as a real process against a real <c>relais serve</c> (issue #14): it checks the
/// <c>glrt-</c> token, refuses a bad one and an unreachable server with a clear message, appends to the config file
/// without losing the runners already there, and the runner started on that file runs a pushed pipeline.
/// </summary>
public sealed partial class PushToRunnerTests
{
    [Fact]
    public async Task A_runner_registered_with_relais_runner_register_runs_a_pushed_pipeline_from_its_config_file()
    {
        var (url, port, rootToken, server) = await StartServerAsync(embeddedRunner: false);
        using var http = Client(url, rootToken);
        using var created = await http.PostAsync("/api/v4/user/runners",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["runner_type"] = "instance_type", ["run_untagged"] = "true" }));
        var runnerToken = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        var config = Path.Combine(Root, "runner.yml");
        await File.WriteAllTextAsync(config, $"""
            concurrent: 2
            runners:
              - name: already-there
                url: {url}
                token: glrt-someone-elses-token
                builds_dir: other-builds
            """);

        var refused = await RegisterAsync("--url", url, "--token", "glrt-not-a-real-token", "--config", config);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("refused the runner token", refused.Output, StringComparison.Ordinal);
        var unreachable = await RegisterAsync("--url", $"http://127.0.0.1:{FreePorts.Next()}", "--token", runnerToken, "--config", config);
        Assert.Equal(1, unreachable.ExitCode);
        Assert.Contains("cannot reach", unreachable.Output, StringComparison.Ordinal);

        var registered = await RegisterAsync("--url", url, "--token", runnerToken, "--description", "registered", "--executor", "shell", "--tag-list", "linux", "--config", config);
        Assert.True(registered.ExitCode == 0, registered.Output);
        var written = await File.ReadAllTextAsync(config);
        Assert.Contains("already-there", written, StringComparison.Ordinal);
        Assert.Contains(runnerToken, written, StringComparison.Ordinal);

        // Only the registered entry is runnable: keep it alone in a copy, as the other entry's token is made up.
        var mine = Path.Combine(Root, "mine.yml");
        var registeredOnly = await RegisterAsync("--url", url, "--token", runnerToken, "--config", mine);
        Assert.True(registeredOnly.ExitCode == 0, registeredOnly.Output);
        var runner = _workspace.Start(new RelaisProcess(Root, null, "runner", "--config", mine));
        PushNewRepository(Pipeline, port, rootToken);
        var pipeline = await WaitForPipelineAsync(http, TimeSpan.FromSeconds(60), server, runner, "main", "success", "failed", "canceled");
        Assert.True(pipeline.GetProperty("status").GetString() == "success", $"pipeline {pipeline}\nserver:\n{server.Output}\nrunner:\n{runner.Output}");
    }

    private async Task<(int ExitCode, string Output)> RegisterAsync(params string[] flags)
    {
        using var process = new RelaisProcess(Root, null, ["runner", "register", "--non-interactive", .. flags]);
        Assert.True(await process.WaitForExitAsync(TimeSpan.FromSeconds(60)), process.Output);
        return (process.ExitCode, process.Output);
    }
}

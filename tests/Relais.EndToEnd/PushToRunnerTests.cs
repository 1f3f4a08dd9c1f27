using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace Relais.EndToEnd;

/// <summary>
/// The product's main path with real processes: `relais serve`, a `relais runner` registered through the
/// API, and `git push` over smart HTTP. The pushed pipeline runs on the runner, artifacts travel between
/// its jobs, and its traces are whole and masked.
/// </summary>
public sealed partial class PushToRunnerTests : IDisposable
{
    private const string Pipeline = """
        stages: [build, test]
        build:
          stage: build
          script:
            - mkdir -p out && echo "built by $CI_JOB_NAME" > out/result.txt
            - echo "token is $CI_JOB_TOKEN"
          artifacts: { paths: [out/] }
        test:
          stage: test
          script:
            - cat out/result.txt
        """;

    private readonly ProcessWorkspace _workspace = new("e2e");

    private string Root => _workspace.Root;

    [Fact]
    public async Task A_push_runs_its_pipeline_on_a_real_runner()
    {
        var (url, port, rootToken, server) = await StartServerAsync(embeddedRunner: false);
        using var http = Client(url, rootToken);
        using var registration = await http.PostAsync("/api/v4/user/runners",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["runner_type"] = "instance_type", ["run_untagged"] = "true" }));
        Assert.True(registration.IsSuccessStatusCode, await registration.Content.ReadAsStringAsync());
        var runnerToken = (await registration.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        var runner = _workspace.Start(new RelaisProcess(Root, null, "runner", "--url", url, "--token", runnerToken,
            "--builds-dir", Path.Combine(Root, "builds"), "--cache-dir", Path.Combine(Root, "cache"), "--concurrent", "2"));

        PushNewRepository(Pipeline, port, rootToken);
        var pipeline = await WaitForPipelineAsync(http, TimeSpan.FromSeconds(60), server, runner, "main", "success", "failed", "canceled");
        Assert.True(pipeline.GetProperty("status").GetString() == "success", $"pipeline {pipeline}\nserver:\n{server.Output}\nrunner:\n{runner.Output}");

        var byName = (await JobsAsync(http, pipeline)).ToDictionary(j => j.GetProperty("name").GetString()!, j => j);
        Assert.Equal("success", byName["build"].GetProperty("status").GetString());
        var testTrace = await http.GetStringAsync($"/api/v4/projects/root%2Fdemo/jobs/{byName["test"].GetProperty("id").GetInt64()}/trace");
        Assert.Contains("built by build", testTrace, StringComparison.Ordinal);
        var buildTrace = await http.GetStringAsync($"/api/v4/projects/root%2Fdemo/jobs/{byName["build"].GetProperty("id").GetInt64()}/trace");
        Assert.Contains("token is [MASKED]", buildTrace, StringComparison.Ordinal);
        Assert.Contains("Job succeeded", buildTrace, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Relais_serve_alone_runs_a_pushed_pipeline_with_its_embedded_runner()
    {
        var (url, port, rootToken, server) = await StartServerAsync();
        using var http = Client(url, rootToken);
        PushNewRepository(Pipeline, port, rootToken);
        var pipeline = await WaitForPipelineAsync(http, TimeSpan.FromSeconds(60), server, server, "main", "success", "failed", "canceled");
        Assert.True(pipeline.GetProperty("status").GetString() == "success", $"pipeline {pipeline}\nserver:\n{server.Output}");
        Assert.False(File.Exists(Path.Combine(Root, "data", "embedded-runner-token"))); // derived from the secret key, never written
    }

    /// <summary>Creates a repository holding <paramref name="yaml"/> as its CI file and pushes its main branch as root.</summary>
    private string PushNewRepository(string yaml, int port, string rootToken)
    {
        var repo = Path.Combine(Root, "repo");
        Directory.CreateDirectory(repo);
        File.WriteAllText(Path.Combine(repo, ".gitlab-ci.yml"), yaml);
        Git(repo, "init", "-q", "-b", "main");
        Git(repo, "add", "-A");
        Commit(repo, "pipeline");
        Git(repo, "push", "-q", $"http://root:{rootToken}@127.0.0.1:{port}/root/demo.git", "main");
        return repo;
    }

    [Fact]
    public async Task Variables_cancel_failure_and_manual_play_work_across_processes()
    {
        var (url, port, rootToken, server) = await StartServerAsync();
        using var http = Client(url, rootToken);
        var repo = PushNewRepository("build: { script: echo ok }\ndeploy: { stage: deploy, script: echo deployed-now, when: manual }\n", port, rootToken);
        var remote = $"http://root:{rootToken}@127.0.0.1:{port}/root/demo.git";

        // The main pipeline stops at its manual job (success: it may be played); playing it runs it.
        var main = await WaitForPipelineAsync(http, TimeSpan.FromSeconds(60), server, server, "main", "success", "manual");
        var deploy = (await JobsAsync(http, main)).Single(j => j.GetProperty("name").GetString() == "deploy");
        Assert.Equal("manual", deploy.GetProperty("status").GetString());
        (await http.PostAsync($"/api/v4/projects/root%2Fdemo/jobs/{deploy.GetProperty("id").GetInt64()}/play", null)).EnsureSuccessStatusCode();
        await WaitForAsync(async () => (await JobsAsync(http, main)).Any(j => j.GetProperty("name").GetString() == "deploy" && j.GetProperty("status").GetString() == "success"), server);

        // Project variables: a masked one never shows in a trace; a protected one never reaches an unprotected branch.
        await AddVariableAsync(http, "SECRET_TOKEN", "s3cr3t-value-1234", masked: true, isProtected: false);
        await AddVariableAsync(http, "PROT_VAR", "only-on-main", masked: false, isProtected: true);
        File.WriteAllText(Path.Combine(repo, ".gitlab-ci.yml"), """
            secret: { script: ['echo "secret=$SECRET_TOKEN prot=[$PROT_VAR]"'] }
            fail: { script: exit 7 }
            slow: { script: sleep 120 }
            """);
        Git(repo, "checkout", "-q", "-b", "feature");
        Git(repo, "add", "-A");
        Commit(repo, "feature pipeline");
        Git(repo, "push", "-q", remote, "feature");
        await WaitForAsync(async () => (await PipelinesAsync(http)).Any(p => p.GetProperty("ref").GetString() == "feature"), server);
        var feature = (await PipelinesAsync(http)).First(p => p.GetProperty("ref").GetString() == "feature");
        await WaitForAsync(async () => (await JobsAsync(http, feature)).Any(j => j.GetProperty("name").GetString() == "slow" && j.GetProperty("status").GetString() == "running"), server);
        var slow = (await JobsAsync(http, feature)).Single(j => j.GetProperty("name").GetString() == "slow");
        (await http.PostAsync($"/api/v4/projects/root%2Fdemo/jobs/{slow.GetProperty("id").GetInt64()}/cancel", null)).EnsureSuccessStatusCode();

        var done = await WaitForPipelineAsync(http, TimeSpan.FromSeconds(60), server, server, "feature", "failed", "canceled");
        var jobs = (await JobsAsync(http, done)).ToDictionary(j => j.GetProperty("name").GetString()!, j => j);
        Assert.Equal("canceled", jobs["slow"].GetProperty("status").GetString());
        Assert.Equal("failed", jobs["fail"].GetProperty("status").GetString());
        Assert.Equal("script_failure", jobs["fail"].GetProperty("failure_reason").GetString());
        var trace = await http.GetStringAsync($"/api/v4/projects/root%2Fdemo/jobs/{jobs["secret"].GetProperty("id").GetInt64()}/trace");
        Assert.Contains("secret=[MASKED] prot=[]", trace, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t-value-1234", trace, StringComparison.Ordinal);
    }

    private async Task<(string Url, int Port, string RootToken, RelaisProcess Server)> StartServerAsync(bool embeddedRunner = true)
    {
        var port = FreePorts.Next();
        var url = $"http://127.0.0.1:{port}";
        var rootToken = "glpat-" + Guid.NewGuid().ToString("N")[..20];
        var server = _workspace.Start(new RelaisProcess(Root, new Dictionary<string, string> { ["RELAIS_ROOT_TOKEN"] = rootToken },
            ["serve", "--data", Path.Combine(Root, "data"), "--urls", url, "--ssh-port", "0", .. embeddedRunner ? Array.Empty<string>() : ["--no-runner"]]));
        await RelaisProcess.WaitForPortAsync(port, server, TimeSpan.FromSeconds(60));
        return (url, port, rootToken, server);
    }

    private static HttpClient Client(string url, string token)
    {
        var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("PRIVATE-TOKEN", token);
        return http;
    }

    private static async Task AddVariableAsync(HttpClient http, string key, string value, bool masked, bool isProtected)
    {
        using var response = await http.PostAsync("/api/v4/projects/root%2Fdemo/variables", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["key"] = key, ["value"] = value, ["masked"] = masked ? "true" : "false", ["protected"] = isProtected ? "true" : "false",
        }));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<List<JsonElement>> PipelinesAsync(HttpClient http) =>
        [.. (await http.GetFromJsonAsync<JsonElement>("/api/v4/projects/root%2Fdemo/pipelines")).EnumerateArray()];

    private static async Task<List<JsonElement>> JobsAsync(HttpClient http, JsonElement pipeline) =>
        [.. (await http.GetFromJsonAsync<JsonElement>($"/api/v4/projects/root%2Fdemo/pipelines/{pipeline.GetProperty("id").GetInt64()}/jobs")).EnumerateArray()];

    private static async Task WaitForAsync(Func<Task<bool>> condition, RelaisProcess server)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), "timed out; server:\n" + server.Output);
            await Task.Delay(200);
        }
    }

    private static async Task<JsonElement> WaitForPipelineAsync(HttpClient http, TimeSpan timeout, RelaisProcess server, RelaisProcess runner, string gitRef, params string[] final)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            var pipeline = (await PipelinesAsync(http)).FirstOrDefault(p => p.GetProperty("ref").GetString() == gitRef);
            if (pipeline.ValueKind == JsonValueKind.Object && final.Contains(pipeline.GetProperty("status").GetString()))
            {
                return pipeline;
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"the {gitRef} pipeline did not reach {string.Join("/", final)}\nserver:\n{server.Output}\nrunner:\n{runner.Output}");
    }

    private static void Commit(string repo, string message) =>
        Git(repo, "-c", "user.email=e2e@relais.local", "-c", "user.name=E2E", "commit", "-q", "-m", message);

    private static void Git(string directory, params string[] args) => GitCli.Run(directory, args);

    public void Dispose() => _workspace.Dispose();
}

using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit.Abstractions;

namespace Relais.EndToEnd;

/// <summary>
/// Issue #16's acceptance: the issue's deploy job (<c>docker stack deploy</c> over <c>DOCKER_HOST=ssh://</c>, the key
/// in a file variable added to <c>ssh-agent</c>) runs on a real <c>relais serve</c> and a real <c>relais runner</c>
/// (Docker executor) against a real OpenSSH deploy host and the test engine's swarm. Three commits deploy
/// <c>v1</c>, <c>v2</c>, <c>v3</c>; pipeline 2's deploy, played after pipeline 3's, is refused as outdated; retrying
/// pipeline 1's deploy (the rollback) brings <c>v1</c> back; the environments and deployments API show it all.
/// </summary>
public sealed class SwarmDeployTests(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>
    /// The issue's job, nearly unchanged: an image with ssh and docker, and the key as a file variable, which
    /// ssh-add wants owner-only (the Docker executor copies file variables in 0644, as gitlab-runner's are under
    /// umask 022, so GitLab's docs chmod it first).
    /// </summary>
    private const string Pipeline = """
        deploy-staging:
          stage: deploy
          image: relais-test/ssh:latest
          environment: { name: staging, url: http://staging.example.test }
          when: manual
          before_script:
            - chmod 400 "$SSH_PRIVATE_KEY"
            - eval $(ssh-agent -s) && ssh-add "$SSH_PRIVATE_KEY"
            - mkdir -p ~/.ssh && echo "$SSH_KNOWN_HOSTS" > ~/.ssh/known_hosts
          script:
            - export DOCKER_HOST="ssh://${DEPLOY_USER}@${DEPLOY_HOST}"
            - docker stack deploy --with-registry-auth --prune -c deploy/docker-compose.yml $DEPLOY_STACK
          rules: [{ if: $CI_COMMIT_BRANCH == "staging" }]
        """;

    private static readonly TimeSpan Converges = TimeSpan.FromSeconds(30);

    private readonly ProcessWorkspace _workspace = new("swarm-e2e");
    private readonly string _run = "relais-swarm-" + Guid.NewGuid().ToString("N")[..8];
    private SwarmStack? _stack;
    private SwarmDeployHost? _host;
    private HttpClient? _http;

    private string Root => _workspace.Root;

    [DockerFact]
    public async Task The_issue_pipeline_deploys_a_stack_over_ssh_refuses_an_outdated_deploy_and_rolls_back()
    {
        var (http, project, deploys, processes) = await StartAsync();

        // Play pipeline 1's: v1 runs. Play pipeline 3's: v3 runs.
        await DeployAsync(http, project, deploys[0], "v1", play: true, processes);
        await DeployAsync(http, project, deploys[2], "v3", play: true, processes);

        // Play pipeline 2's: refused as outdated; the service still runs v3.
        var refusal = Stopwatch.StartNew();
        await PlayAsync(http, project, deploys[1]);
        var outdated = await WaitForJobAsync(http, project, deploys[1], processes);
        output.WriteLine($"play -> v2 (outdated): job failed after {refusal.Elapsed.TotalSeconds:F2} s");
        Assert.True(outdated.GetProperty("status").GetString() == "failed", $"pipeline 2's deploy: {outdated}\n{await TraceAsync(http, project, deploys[1])}");
        Assert.Equal("failed_outdated_deployment_job", outdated.GetProperty("failure_reason").GetString()); // GitLab's name since it deprecated forward_deployment_failure
        Assert.Equal("web-v3", await _stack!.PageAsync());
        Assert.EndsWith(":v3", await _stack.RunningImageAsync(), StringComparison.Ordinal);

        // Rollback: retry pipeline 1's deploy job (what the UI's rollback does): v1 runs again.
        var rollback = await DeployAsync(http, project, deploys[0], "v1", play: false, processes);

        // The API shows the environment, its last deployment (the rollback) and its four deployments with their jobs.
        var environments = await http.GetFromJsonAsync<JsonElement>($"/api/v4/projects/{project}/environments");
        var staging = environments.EnumerateArray().Single(e => e.GetProperty("name").GetString() == "staging");
        Assert.Equal("http://staging.example.test", staging.GetProperty("external_url").GetString());
        var environment = await http.GetFromJsonAsync<JsonElement>($"/api/v4/projects/{project}/environments/{staging.GetProperty("id").GetInt64()}");
        Assert.Equal(rollback, environment.GetProperty("last_deployment").GetProperty("deployable").GetProperty("id").GetInt64());
        var deployments = await http.GetFromJsonAsync<JsonElement>($"/api/v4/projects/{project}/deployments?environment=staging");
        var statusByJob = deployments.EnumerateArray().ToDictionary(d => d.GetProperty("deployable").GetProperty("id").GetInt64(), d => d.GetProperty("status").GetString());
        Assert.Equal(new Dictionary<long, string?> { [deploys[0]] = "success", [deploys[2]] = "success", [deploys[1]] = "failed", [rollback] = "success" }, statusByJob);
    }

    /// <summary>
    /// The swarm and its app images, the deploy host, <c>relais serve</c> with the project and its variables, a
    /// runner, and three commits on staging (v1, v2, v3), one pipeline each stopping at its manual deploy job.
    /// </summary>
    private async Task<(HttpClient Http, long Project, List<long> Deploys, RelaisProcess[] Processes)> StartAsync()
    {
        Assert.True((await DockerCommand.RunAsync("image", "inspect", DockerTest.Ssh)).Code == 0, $"{DockerTest.Ssh} is missing: run scripts/docker.sh");
        _stack = await SwarmStack.CreateAsync(_run, Root, "v1", "v2", "v3");
        _host = await SwarmDeployHost.StartAsync(Root, _run + "-sshd");
        var (url, port, rootToken, server) = await StartServerAsync();
        var http = _http = Client(url, rootToken);
        var project = await CreateProjectAsync(http);
        await AddVariableAsync(http, project, "SSH_PRIVATE_KEY", _host.PrivateKey, file: true);
        await AddVariableAsync(http, project, "SSH_KNOWN_HOSTS", _host.KnownHosts);
        await AddVariableAsync(http, project, "DEPLOY_USER", "deploy");
        await AddVariableAsync(http, project, "DEPLOY_HOST", _host.Address);
        await AddVariableAsync(http, project, "DEPLOY_STACK", _stack.Name);
        var processes = new[] { server, await StartRunnerAsync(http, url) };
        var repo = InitRepository();
        var deploys = new List<long>();
        foreach (var version in new[] { "v1", "v2", "v3" })
        {
            PushVersion(repo, version, port, rootToken);
            deploys.Add(await WaitForManualDeployAsync(http, project, deploys.Count + 1, processes));
        }

        return (http, project, deploys, processes);
    }

    /// <summary>Plays (or retries) a deploy job, waits for it to succeed and the service to serve <paramref name="version"/>; logs the time it took. Returns the job that ran.</summary>
    private async Task<long> DeployAsync(HttpClient http, long project, long job, string version, bool play, RelaisProcess[] processes)
    {
        var watch = Stopwatch.StartNew();
        var ran = play ? job : await RetryAsync(http, project, job);
        if (play)
        {
            await PlayAsync(http, project, job);
        }

        var done = await WaitForJobAsync(http, project, ran, processes);
        Assert.True(done.GetProperty("status").GetString() == "success", $"deploy of {version}: {done}\n{await TraceAsync(http, project, ran)}\nrunner:\n{processes[1].Output}");
        var jobDone = watch.Elapsed;
        await _stack!.WaitForAsync(version, Converges);
        output.WriteLine($"{(play ? "play" : "retry")} -> {version}: job succeeded after {jobDone.TotalSeconds:F1} s, service serves it after {watch.Elapsed.TotalSeconds:F1} s");
        Assert.EndsWith(":" + version, await _stack.RunningImageAsync(), StringComparison.Ordinal);
        return ran;
    }

    private async Task<(string Url, int Port, string RootToken, RelaisProcess Server)> StartServerAsync()
    {
        var port = FreePorts.Next();
        var url = $"http://127.0.0.1:{port}";
        var rootToken = "glpat-" + Guid.NewGuid().ToString("N")[..20];
        var server = _workspace.Start(new RelaisProcess(Root, new Dictionary<string, string> { ["RELAIS_ROOT_TOKEN"] = rootToken },
            "serve", "--data", Path.Combine(Root, "data"), "--urls", url, "--ssh-port", "0", "--no-runner"));
        await RelaisProcess.WaitForPortAsync(port, server, TimeSpan.FromSeconds(60));
        return (url, port, rootToken, server);
    }

    /// <summary>A `relais runner` with the Docker executor: the job's container has ssh and docker, its home is its own.</summary>
    private async Task<RelaisProcess> StartRunnerAsync(HttpClient http, string url)
    {
        var registration = await PostAsync(http, "/api/v4/user/runners", new() { ["runner_type"] = "instance_type", ["run_untagged"] = "true" });
        return _workspace.Start(new RelaisProcess(Root, null, "runner", "--url", url, "--token", registration.GetProperty("token").GetString()!,
            "--executor", "docker", "--docker-image", DockerTest.Ssh, "--builds-dir", Path.Combine(Root, "builds"), "--cache-dir", Path.Combine(Root, "cache")));
    }

    private static async Task<long> CreateProjectAsync(HttpClient http) =>
        (await PostAsync(http, "/api/v4/projects", new() { ["name"] = "demo" })).GetProperty("id").GetInt64();

    private static async Task AddVariableAsync(HttpClient http, long project, string key, string value, bool file = false) =>
        await PostAsync(http, $"/api/v4/projects/{project}/variables", new() { ["key"] = key, ["value"] = value, ["variable_type"] = file ? "file" : "env_var" });

    private string InitRepository()
    {
        var repo = Path.Combine(Root, "repo");
        Directory.CreateDirectory(Path.Combine(repo, "deploy"));
        File.WriteAllText(Path.Combine(repo, ".gitlab-ci.yml"), Pipeline);
        GitCli.Run(repo, "init", "-q", "-b", "staging");
        return repo;
    }

    /// <summary>Commits the compose file deploying <paramref name="version"/> and pushes staging.</summary>
    private void PushVersion(string repo, string version, int port, string rootToken)
    {
        File.WriteAllText(Path.Combine(repo, "deploy", "docker-compose.yml"), _stack!.ComposeFile(version));
        GitCli.Run(repo, "add", "-A");
        GitCli.Run(repo, "-c", "user.name=Root", "-c", "user.email=root@example.com", "commit", "-q", "-m", "deploy " + version);
        GitCli.Run(repo, "push", "-q", $"http://root:{rootToken}@127.0.0.1:{port}/root/demo.git", "staging");
    }

    /// <summary>Waits for the project's <paramref name="count"/>th pipeline and returns its deploy job, once manual.</summary>
    private static async Task<long> WaitForManualDeployAsync(HttpClient http, long project, int count, RelaisProcess[] processes)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(30))
        {
            var pipelines = (await http.GetFromJsonAsync<JsonElement>($"/api/v4/projects/{project}/pipelines?sort=asc")).EnumerateArray().ToList();
            if (pipelines.Count >= count)
            {
                var jobs = await http.GetFromJsonAsync<JsonElement>($"/api/v4/projects/{project}/pipelines/{pipelines[count - 1].GetProperty("id").GetInt64()}/jobs");
                if (jobs.EnumerateArray().SingleOrDefault(j => j.GetProperty("status").GetString() == "manual") is { ValueKind: JsonValueKind.Object } job)
                {
                    return job.GetProperty("id").GetInt64();
                }
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"pipeline {count} never showed its manual deploy job\nserver:\n{processes[0].Output}");
    }

    private static async Task PlayAsync(HttpClient http, long project, long job) =>
        await PostAsync(http, $"/api/v4/projects/{project}/jobs/{job}/play", []);

    private static async Task<long> RetryAsync(HttpClient http, long project, long job) =>
        (await PostAsync(http, $"/api/v4/projects/{project}/jobs/{job}/retry", [])).GetProperty("id").GetInt64();

    private static async Task<JsonElement> WaitForJobAsync(HttpClient http, long project, long job, RelaisProcess[] processes)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(60))
        {
            var state = await http.GetFromJsonAsync<JsonElement>($"/api/v4/projects/{project}/jobs/{job}");
            if (state.GetProperty("status").GetString() is "success" or "failed" or "canceled")
            {
                return state;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"job {job} did not finish\nserver:\n{processes[0].Output}\nrunner:\n{processes[1].Output}");
    }

    private static Task<string> TraceAsync(HttpClient http, long project, long job) => http.GetStringAsync($"/api/v4/projects/{project}/jobs/{job}/trace");

    private static async Task<JsonElement> PostAsync(HttpClient http, string path, Dictionary<string, string> form)
    {
        using var response = await http.PostAsync(path, new FormUrlEncodedContent(form));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static HttpClient Client(string url, string token)
    {
        var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("PRIVATE-TOKEN", token);
        return http;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_stack is not null)
        {
            await _stack.DisposeAsync();
        }

        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        _workspace.Dispose();
    }
}

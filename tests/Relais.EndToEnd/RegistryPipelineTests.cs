using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace Relais.EndToEnd;

/// <summary>
/// Issue #15's acceptance: a published tutorial's image-building pipeline (build in Docker-in-Docker, push to
/// <c>$CI_REGISTRY_IMAGE</c>, a later job pulls and runs it, a last one tags and pushes it again) runs unchanged on a
/// real <c>relais serve</c> with its registry and a <c>relais runner</c> with the Docker executor, its base images
/// pulled from the Relais registry itself; another project's job and a Reporter cannot push there.
/// </summary>
public sealed class RegistryPipelineTests : IDisposable
{
    /// <summary>The tutorial's pipeline; only the base images are the local ones pushed to the project's registry first.</summary>
    private const string TutorialPipeline = """
        stages: [build, test, push]
        build:
          stage: build
          image: $CI_REGISTRY_IMAGE/docker:stable
          services: [{ name: "$CI_REGISTRY_IMAGE/docker:dind", alias: docker }]
          script:
            - docker build -t $CI_REGISTRY_IMAGE:tmp .
            - docker login -u gitlab-ci-token -p $CI_BUILD_TOKEN $CI_REGISTRY
            - docker push $CI_REGISTRY_IMAGE:tmp
        test:
          stage: test
          image: $CI_REGISTRY_IMAGE/docker:stable
          services: [{ name: "$CI_REGISTRY_IMAGE/docker:dind", alias: docker }]
          script:
            - docker login -u $CI_REGISTRY_USER -p $CI_REGISTRY_PASSWORD $CI_REGISTRY
            - docker run -d --name app -p 8080:8080 $CI_REGISTRY_IMAGE:tmp
            - sleep 1
            - printf 'GET / HTTP/1.0\r\n\r\n' | nc docker 8080 | tail -1
        push:
          stage: push
          image: $CI_REGISTRY_IMAGE/docker:stable
          services: [{ name: "$CI_REGISTRY_IMAGE/docker:dind", alias: docker }]
          script:
            - docker login -u $CI_REGISTRY_USER -p $CI_REGISTRY_PASSWORD $CI_REGISTRY
            - docker pull $CI_REGISTRY_IMAGE:tmp
            - docker image tag $CI_REGISTRY_IMAGE:tmp $CI_REGISTRY_IMAGE:$CI_COMMIT_REF_NAME
            - docker push $CI_REGISTRY_IMAGE:$CI_COMMIT_REF_NAME
        """;

    private const string Dockerfile = """
        FROM scratch
        COPY busybox /bin/busybox
        EXPOSE 8080
        CMD ["/bin/busybox", "sh", "-c", "/bin/busybox mkdir -p /www && echo hello-from-the-app > /www/index.html && exec /bin/busybox httpd -f -p 8080 -h /www"]
        """;

    /// <summary>Another project's job, logged in with its own job token, tries to push into root/demo.</summary>
    private const string IntruderPipeline = """
        intrude:
          image: relais-test/docker:latest
          services: [{ name: relais-test/dind:latest, alias: docker }]
          script:
            - docker login -u $CI_REGISTRY_USER -p $CI_REGISTRY_PASSWORD $CI_REGISTRY
            - mkdir e && echo x > e/f && tar -C e -c . | docker import - $CI_REGISTRY/root/demo:evil
            - docker push $CI_REGISTRY/root/demo:evil
        """;

    private readonly ProcessWorkspace _workspace = new("registry-e2e");
    private readonly List<string> _localTags = [];
    private string? _hostCaFolder;

    private string Root => _workspace.Root;

    [DockerFact]
    public async Task The_tutorial_pipeline_builds_tests_and_pushes_its_image_through_the_relais_registry_and_no_one_else_pushes_there()
    {
        var (url, port, rootToken, server) = await StartServerAsync();
        using var http = Client(url, rootToken);
        var demo = await CreateProjectAsync(http, "demo");
        var registry = demo.GetProperty("container_registry_image_prefix").GetString()!.Split('/')[0];
        _hostCaFolder = Path.Combine("/etc/docker/certs.d", registry);
        var runner = await StartRunnerAsync(http, url);

        // The base images, from the host's Docker into the project's registry, as root.
        Docker(["login", "-u", "root", "--password-stdin", registry], rootToken).AssertOk();
        PushLocal("relais-test/docker:latest", $"{registry}/root/demo/docker:stable");
        PushLocal("relais-test/dind:latest", $"{registry}/root/demo/docker:dind");

        PushRepository("demo", port, rootToken, new Dictionary<string, string> { [".gitlab-ci.yml"] = TutorialPipeline, ["Dockerfile"] = Dockerfile }, "/bin/busybox");
        var pipeline = await WaitForPipelineAsync(http, "root%2Fdemo", TimeSpan.FromMinutes(5), server, runner);
        var traces = await TracesAsync(http, "root%2Fdemo", pipeline);
        Assert.True(pipeline.GetProperty("status").GetString() == "success", $"pipeline {pipeline}\n{string.Join("\n", traces.Values)}\nserver:\n{server.Output}\nrunner:\n{runner.Output}");
        Assert.Contains("Login Succeeded", traces["build"], StringComparison.Ordinal);
        Assert.Contains("hello-from-the-app", traces["test"], StringComparison.Ordinal);
        Assert.DoesNotContain(rootToken, string.Concat(traces.Values), StringComparison.Ordinal);

        // The registry holds both tags of the app (and the base images), and the host pulls what the pipeline pushed.
        var repositories = await http.GetFromJsonAsync<JsonElement>($"/api/v4/projects/{demo.GetProperty("id").GetInt64()}/registry/repositories?tags=true");
        var app = repositories.EnumerateArray().Single(r => r.GetProperty("name").GetString() == "");
        Assert.Equal(["main", "tmp"], app.GetProperty("tags").EnumerateArray().Select(t => t.GetProperty("name").GetString()!).Order(StringComparer.Ordinal));
        _localTags.Add($"{registry}/root/demo:main");
        Docker(["pull", $"{registry}/root/demo:main"]).AssertOk();

        // Another project's job is denied, and its job fails saying so.
        await CreateProjectAsync(http, "other");
        PushRepository("other", port, rootToken, new Dictionary<string, string> { [".gitlab-ci.yml"] = IntruderPipeline });
        var intrusion = await WaitForPipelineAsync(http, "root%2Fother", TimeSpan.FromMinutes(3), server, runner);
        var intruder = (await TracesAsync(http, "root%2Fother", intrusion))["intrude"];
        Assert.Equal("failed", intrusion.GetProperty("status").GetString());
        Assert.Contains("Login Succeeded", intruder, StringComparison.Ordinal);
        Assert.Contains("denied", intruder, StringComparison.Ordinal);

        // A Reporter pulls and cannot push, even with a write_registry token.
        var reporterToken = await AddReporterAsync(http, demo.GetProperty("id").GetInt64());
        Docker(["logout", registry]).AssertOk();
        Docker(["login", "-u", "rita", "--password-stdin", registry], reporterToken).AssertOk();
        Docker(["pull", $"{registry}/root/demo:tmp"]).AssertOk();
        _localTags.Add($"{registry}/root/demo:tmp");
        Docker(["tag", $"{registry}/root/demo:tmp", $"{registry}/root/demo:from-reporter"]).AssertOk();
        _localTags.Add($"{registry}/root/demo:from-reporter");
        var refused = Docker(["push", $"{registry}/root/demo:from-reporter"]);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("denied", refused.Output, StringComparison.Ordinal);
    }

    private async Task<(string Url, int Port, string RootToken, RelaisProcess Server)> StartServerAsync()
    {
        var port = FreePorts.Next();
        var url = $"http://127.0.0.1:{port}";
        var rootToken = "glpat-" + Guid.NewGuid().ToString("N")[..20];
        var server = _workspace.Start(new RelaisProcess(Root, new Dictionary<string, string> { ["RELAIS_ROOT_TOKEN"] = rootToken },
            "serve", "--data", Path.Combine(Root, "data"), "--urls", url, "--ssh-port", "0", "--no-runner", "--registry-port", FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture)));
        await RelaisProcess.WaitForPortAsync(port, server, TimeSpan.FromSeconds(60));
        return (url, port, rootToken, server);
    }

    /// <summary>A `relais runner` with the Docker executor, privileged for DinD the way this machine allows.</summary>
    private async Task<RelaisProcess> StartRunnerAsync(HttpClient http, string url)
    {
        using var registration = await http.PostAsync("/api/v4/user/runners",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["runner_type"] = "instance_type", ["run_untagged"] = "true" }));
        var token = (await registration.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        return _workspace.Start(new RelaisProcess(Root, null, "runner", "--url", url, "--token", token, "--executor", "docker",
            "--docker-image", "relais-test/busybox:latest", "--docker-privileged", "--docker-privileged-as-capabilities", "--concurrent", "2",
            "--builds-dir", Path.Combine(Root, "builds"), "--cache-dir", Path.Combine(Root, "cache")));
    }

    private static async Task<JsonElement> CreateProjectAsync(HttpClient http, string name)
    {
        using var created = await http.PostAsync("/api/v4/projects", new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = name }));
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        return await created.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<string> AddReporterAsync(HttpClient http, long project)
    {
        using var user = await http.PostAsync("/api/v4/users", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = "rita", ["name"] = "Rita Reporter", ["email"] = "rita@example.com", ["password"] = "a-long-password-for-rita",
        }));
        Assert.True(user.IsSuccessStatusCode, await user.Content.ReadAsStringAsync());
        var id = (await user.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        using var member = await http.PostAsync($"/api/v4/projects/{project}/members", new FormUrlEncodedContent(new Dictionary<string, string> { ["user_id"] = $"{id}", ["access_level"] = "20" }));
        Assert.True(member.IsSuccessStatusCode, await member.Content.ReadAsStringAsync());
        using var token = await http.PostAsync($"/api/v4/users/{id}/personal_access_tokens", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["name"] = "registry", ["scopes[]"] = "read_registry", ["expires_at"] = DateTime.UtcNow.AddDays(2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        }.Append(KeyValuePair.Create("scopes[]", "write_registry"))));
        Assert.True(token.IsSuccessStatusCode, await token.Content.ReadAsStringAsync());
        return (await token.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    private void PushRepository(string project, int port, string rootToken, IReadOnlyDictionary<string, string> files, string? copyBusybox = null)
    {
        var repo = Path.Combine(Root, "repo-" + project);
        Directory.CreateDirectory(repo);
        foreach (var (name, content) in files)
        {
            File.WriteAllText(Path.Combine(repo, name), content);
        }

        if (copyBusybox is not null)
        {
            File.Copy(copyBusybox, Path.Combine(repo, "busybox"));
        }

        GitCli.Run(repo, "init", "-q", "-b", "main");
        GitCli.Run(repo, "add", "-A");
        GitCli.Run(repo, "-c", "user.name=Root", "-c", "user.email=root@example.com", "commit", "-q", "-m", "the pipeline");
        GitCli.Run(repo, "push", "-q", $"http://root:{rootToken}@127.0.0.1:{port}/root/{project}.git", "main");
    }

    private void PushLocal(string image, string target)
    {
        _localTags.Add(target);
        Docker(["tag", image, target]).AssertOk();
        Docker(["push", target]).AssertOk();
    }

    private DockerRun Docker(string[] args, string? input = null)
    {
        var start = new ProcessStartInfo("docker") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        start.Environment["DOCKER_CONFIG"] = Path.Combine(Root, "docker-config"); // never root's own ~/.docker
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Write(input ?? "");
        process.StandardInput.Close();
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return new DockerRun($"docker {string.Join(' ', args)}", process.ExitCode, output + error.GetAwaiter().GetResult());
    }

    private static HttpClient Client(string url, string token)
    {
        var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("PRIVATE-TOKEN", token);
        return http;
    }

    private static async Task<JsonElement> WaitForPipelineAsync(HttpClient http, string project, TimeSpan timeout, RelaisProcess server, RelaisProcess runner)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            var pipelines = await http.GetFromJsonAsync<JsonElement>($"/api/v4/projects/{project}/pipelines");
            if (pipelines.EnumerateArray().FirstOrDefault() is { ValueKind: JsonValueKind.Object } pipeline
                && pipeline.GetProperty("status").GetString() is "success" or "failed" or "canceled")
            {
                return pipeline;
            }

            await Task.Delay(500);
        }

        throw new TimeoutException($"no finished pipeline in {project} after {timeout}\nserver:\n{server.Output}\nrunner:\n{runner.Output}");
    }

    private static async Task<Dictionary<string, string>> TracesAsync(HttpClient http, string project, JsonElement pipeline)
    {
        var jobs = await http.GetFromJsonAsync<JsonElement>($"/api/v4/projects/{project}/pipelines/{pipeline.GetProperty("id").GetInt64()}/jobs");
        var traces = new Dictionary<string, string>();
        foreach (var job in jobs.EnumerateArray())
        {
            traces[job.GetProperty("name").GetString()!] = await http.GetStringAsync($"/api/v4/projects/{project}/jobs/{job.GetProperty("id").GetInt64()}/trace");
        }

        return traces;
    }

    public void Dispose()
    {
        foreach (var tag in _localTags)
        {
            Docker(["rmi", "-f", tag]);
        }

        _workspace.Dispose();
        if (_hostCaFolder is not null && Directory.Exists(_hostCaFolder))
        {
            Directory.Delete(_hostCaFolder, recursive: true); // the server wrote its CA there for the host's Docker
        }
    }

    private sealed record DockerRun(string Command, int ExitCode, string Output)
    {
        public void AssertOk() => Assert.True(ExitCode == 0, $"{Command} exited {ExitCode}:\n{Output}");
    }
}

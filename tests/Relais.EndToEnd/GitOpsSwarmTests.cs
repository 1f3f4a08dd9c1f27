using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit.Abstractions;

namespace Relais.EndToEnd;

/// <summary>
/// Issue #17's acceptance for Swarm: a real <c>relais serve</c> holds the project (git over HTTP) and its image (its
/// container registry); a real <c>relais gitops</c> agent (5 s intervals) watches both and deploys
/// <c>swarm/stack.yml</c> to the test engine's swarm. Pushing tag <c>1.1.0</c> makes the agent commit the new tag with
/// <c>[ci skip]</c> (Relais shows a skipped pipeline) and the service run it; a <c>tmp</c> tag and a pre-release change
/// nothing; a hand-made <c>docker service update --image</c> is corrected; the deployments appear in Relais's API.
/// </summary>
public sealed class GitOpsSwarmTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly ProcessWorkspace _workspace = new("gitops-e2e");
    private readonly string _stack = "gitops-" + Guid.NewGuid().ToString("N")[..8];
    private readonly int _port = FreePorts.Next();
    private readonly List<string> _tags = [];
    private string? _hostCaFolder;

    private string Root => _workspace.Root;

    private string Service => _stack + "_web";

    [DockerFact]
    public async Task A_pushed_tag_is_committed_with_ci_skip_and_deployed_excluded_tags_change_nothing_and_drift_is_corrected()
    {
        var (url, gitPort, token, server) = await StartServerAsync();
        using var http = Client(url, token);
        using (var created = await http.PostAsync("/api/v4/projects", new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = "app" })))
        {
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
            var registryImage = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("container_registry_image_prefix").GetString()!;
            Registry = registryImage;
        }

        _hostCaFolder = Path.Combine("/etc/docker/certs.d", Registry.Split('/')[0]);
        await DockerAsync(["login", "-u", "root", "--password-stdin", Registry.Split('/')[0]], token);
        await BuildAndPushAsync("1.0.1");
        var first = await PushRepositoryAsync(gitPort, token);

        var agent = StartAgent(url, gitPort, token);
        await WaitForPageAsync("web-1.0.1", TimeSpan.FromSeconds(90), agent, server);
        var deployed = await WaitForDeploymentAsync(http, first, agent);
        Assert.Equal("main", deployed.GetProperty("ref").GetString());

        // Tag 1.1.0 pushed: the agent commits it with [ci skip] and the service runs it.
        await BuildAsync("1.1.0");
        var clock = Stopwatch.StartNew();
        await PushAsync("1.1.0");
        var pushed = clock.Elapsed;
        await WaitForPageAsync("web-1.1.0", TimeSpan.FromSeconds(60), agent, server);
        var took = clock.Elapsed;
        output.WriteLine($"tag 1.1.0 pushed ({pushed.TotalSeconds:F1} s to push) -> service serving it: {(took - pushed).TotalSeconds:F1} s after the push ended, {took.TotalSeconds:F1} s from its start");

        var commit = await http.GetFromJsonAsync<JsonElement>("/api/v4/projects/root%2Fapp/repository/commits/main");
        var update = commit.GetProperty("id").GetString()!;
        Assert.NotEqual(first, update);
        Assert.Contains("[ci skip]", commit.GetProperty("message").GetString(), StringComparison.Ordinal);
        var pipelines = await http.GetFromJsonAsync<JsonElement>("/api/v4/projects/root%2Fapp/pipelines");
        var skipped = pipelines.EnumerateArray().Single(p => p.GetProperty("sha").GetString() == update);
        Assert.Equal("skipped", skipped.GetProperty("status").GetString());
        Assert.Equal("success", (await WaitForDeploymentAsync(http, update, agent)).GetProperty("status").GetString());

        // A tag the policy excludes (not semver) and a pre-release change nothing over two intervals.
        await TagAndPushAsync("1.1.0", "tmp");
        await TagAndPushAsync("1.1.0", "2.0.0-rc.1");
        await Task.Delay(TimeSpan.FromSeconds(12));
        Assert.Equal(update, (await http.GetFromJsonAsync<JsonElement>("/api/v4/projects/root%2Fapp/repository/commits/main")).GetProperty("id").GetString());
        Assert.Equal("web-1.1.0", await PageAsync());

        // Drift: the service set back to 1.0.1 by hand runs 1.1.0 again at a next interval.
        var drift = Stopwatch.StartNew();
        await DockerAsync(["service", "update", "--detach", "--with-registry-auth", "--image", $"{Registry}:1.0.1", Service]);
        var watch = Stopwatch.StartNew();
        while (!agent.Output.Contains("(drift corrected)", StringComparison.Ordinal))
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"the drift was never corrected:\n{agent.Output}");
            await Task.Delay(100);
        }

        await WaitForPageAsync("web-1.1.0", TimeSpan.FromSeconds(60), agent, server);
        Assert.StartsWith($"{Registry}:1.1.0", await DockerCommand.OkAsync("service", "inspect", "--format", "{{.Spec.TaskTemplate.ContainerSpec.Image}}", Service), StringComparison.Ordinal);
        output.WriteLine($"drift corrected and served {drift.Elapsed.TotalSeconds:F1} s after the hand-made update");

        // A graceful stop.
        agent.Terminate();
        Assert.True(await agent.WaitForExitAsync(TimeSpan.FromSeconds(60)), agent.Output);
        Assert.Equal(0, agent.ExitCode);
        Assert.DoesNotContain(token, agent.Output, StringComparison.Ordinal);
        output.WriteLine(agent.Output);

        // diff: nothing to change; after a hand-made change, that change (exit 1); reconcile corrects it now (exit 0).
        var (same, sameOut) = await GitOpsOnceAsync("diff");
        Assert.True(same == 0, sameOut);
        Assert.Contains("SwarmStack flux-system/demo: no changes", sameOut, StringComparison.Ordinal);
        await DockerAsync(["service", "update", "--with-registry-auth", "--image", $"{Registry}:1.0.1", Service]);
        var (changed, changedOut) = await GitOpsOnceAsync("diff", "demo");
        Assert.True(changed == 1, changedOut);
        Assert.Contains($"update service {Service}", changedOut, StringComparison.Ordinal);
        var (reconciled, reconciledOut) = await GitOpsOnceAsync("reconcile", "demo");
        Assert.True(reconciled == 0, reconciledOut);
        Assert.Contains("SwarmStack flux-system/demo: reconciled", reconciledOut, StringComparison.Ordinal);
        await WaitForPageAsync("web-1.1.0", TimeSpan.FromSeconds(60), agent, server);
    }

    /// <summary>Runs <c>relais gitops SUBCOMMAND …</c> with the agent's configuration; answers its exit code and output.</summary>
    private async Task<(int Exit, string Output)> GitOpsOnceAsync(params string[] args)
    {
        using var run = new RelaisProcess(Root, new Dictionary<string, string> { ["DOCKER_CONFIG"] = DockerConfig },
            ["gitops", .. args, "--config", Path.Combine(Root, "gitops"), "--secrets", Path.Combine(Root, "secrets"), "--state", Path.Combine(Root, "state")]);
        Assert.True(await run.WaitForExitAsync(TimeSpan.FromSeconds(120)), run.Output);
        return (run.ExitCode, run.Output);
    }

    private string Registry { get; set; } = "";

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await DockerCommand.RunAsync("stack", "rm", _stack);
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(20)
               && (await DockerCommand.RunAsync("ps", "-aq", "--filter", "label=com.docker.stack.namespace=" + _stack)).Out.Trim().Length > 0)
        {
            await Task.Delay(250);
        }

        foreach (var tag in _tags)
        {
            await DockerCommand.RunAsync("rmi", "-f", tag);
        }

        _workspace.Dispose();
        if (_hostCaFolder is not null && Directory.Exists(_hostCaFolder))
        {
            Directory.Delete(_hostCaFolder, recursive: true);
        }
    }

    private async Task<(string Url, int GitPort, string Token, RelaisProcess Server)> StartServerAsync()
    {
        if (await DockerCommand.OkAsync("info", "--format", "{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}") != "active true")
        {
            await DockerCommand.OkAsync("swarm", "init", "--advertise-addr", "127.0.0.1");
        }

        var port = FreePorts.Next();
        var url = $"http://127.0.0.1:{port}";
        var token = "glpat-" + Guid.NewGuid().ToString("N")[..20];
        var server = _workspace.Start(new RelaisProcess(Root, new Dictionary<string, string> { ["RELAIS_ROOT_TOKEN"] = token },
            "serve", "--data", Path.Combine(Root, "data"), "--urls", url, "--ssh-port", "0", "--no-runner", "--registry-port", FreePorts.Next().ToString(CultureInfo.InvariantCulture)));
        await RelaisProcess.WaitForPortAsync(port, server, TimeSpan.FromSeconds(60));
        return (url, port, token, server);
    }

    /// <summary>The project's first commit: the stack at 1.0.1 with Flux's setter marker.</summary>
    private async Task<string> PushRepositoryAsync(int port, string token)
    {
        var repo = Path.Combine(Root, "repo");
        Directory.CreateDirectory(Path.Combine(repo, "swarm"));
        File.WriteAllText(Path.Combine(repo, "swarm", "stack.yml"), $$"""
            version: "3.8"
            services:
              web:
                image: {{Registry}}:1.0.1 # {"$imagepolicy": "flux-system:app"}
                ports: [{ target: 8080, published: {{_port.ToString(CultureInfo.InvariantCulture)}}, protocol: tcp, mode: host }]
                stop_grace_period: 1s
                deploy:
                  endpoint_mode: dnsrr
                  update_config: { order: stop-first }
            """);
        GitCli.Run(repo, "init", "-q", "-b", "main");
        GitCli.Run(repo, "add", "-A");
        GitCli.Run(repo, "-c", "user.name=Root", "-c", "user.email=root@example.com", "commit", "-q", "-m", "the stack");
        GitCli.Run(repo, "push", "-q", $"http://root:{token}@127.0.0.1:{port}/root/app.git", "main");
        var (_, sha, _) = await SshGitServer.RunAsync("git", ["rev-parse", "HEAD"], repo);
        return sha.Trim();
    }

    /// <summary>The agent, as a user runs it: the issue's resources, secrets in their own folder, deployments reported to Relais.</summary>
    private RelaisProcess StartAgent(string url, int port, string token)
    {
        var config = Directory.CreateDirectory(Path.Combine(Root, "gitops")).FullName;
        var secrets = Directory.CreateDirectory(Path.Combine(Root, "secrets")).FullName;
        File.WriteAllText(Path.Combine(config, "app.yaml"), $$"""
            apiVersion: source.toolkit.fluxcd.io/v1
            kind: GitRepository
            metadata: { name: app, namespace: flux-system }
            spec:
              url: http://127.0.0.1:{{port.ToString(CultureInfo.InvariantCulture)}}/root/app.git
              ref: { branch: main }
              interval: 5s
              secretRef: { name: relais-auth }
            ---
            apiVersion: image.toolkit.fluxcd.io/v1
            kind: ImageRepository
            metadata: { name: app, namespace: flux-system }
            spec:
              image: {{Registry}}
              interval: 5s
              secretRef: { name: relais-auth }
            ---
            apiVersion: image.toolkit.fluxcd.io/v1
            kind: ImagePolicy
            metadata: { name: app, namespace: flux-system }
            spec:
              imageRepositoryRef: { name: app }
              policy: { semver: { range: ">=1.0.0" } }
            ---
            apiVersion: image.toolkit.fluxcd.io/v1
            kind: ImageUpdateAutomation
            metadata: { name: app, namespace: flux-system }
            spec:
              interval: 5s
              sourceRef: { kind: GitRepository, name: app }
              git:
                checkout: { ref: { branch: main } }
                commit:
                  author: { email: gitops@example.com, name: Relais GitOps }
                push: { branch: main }
              update: { path: ./swarm, strategy: Setters }
            ---
            apiVersion: gitops.relais.dev/v1
            kind: SwarmStack
            metadata: { name: demo, namespace: flux-system }
            spec:
              sourceRef: { kind: GitRepository, name: app }
              path: ./swarm/stack.yml
              stack: {{_stack}}
              prune: true
              interval: 5s
              environment: production
              project: root/app
            """);
        File.WriteAllText(Path.Combine(secrets, "relais-auth.yaml"), $"""
            apiVersion: v1
            kind: Secret
            metadata: {"{"} name: relais-auth, namespace: flux-system {"}"}
            stringData: {"{"} username: root, password: {token} {"}"}
            """);
        var tokenFile = Path.Combine(Root, "token");
        File.WriteAllText(tokenFile, token + "\n");
        return _workspace.Start(new RelaisProcess(Root, new Dictionary<string, string> { ["DOCKER_CONFIG"] = DockerConfig },
            "gitops", "--config", config, "--secrets", secrets, "--state", Path.Combine(Root, "state"), "--coordinator", url, "--token-file", tokenFile));
    }

    private string DockerConfig => Path.Combine(Root, "docker-config");

    private async Task BuildAndPushAsync(string version)
    {
        await BuildAsync(version);
        await PushAsync(version);
    }

    private async Task BuildAsync(string version)
    {
        var folder = Directory.CreateDirectory(Path.Combine(Root, "image-" + version)).FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "Dockerfile"), $"""
            FROM {DockerTest.Busybox}
            RUN mkdir /www && echo web-{version} > /www/index.html
            CMD ["httpd", "-f", "-p", "8080", "-h", "/www"]
            """);
        _tags.Add($"{Registry}:{version}");
        await DockerAsync(["build", "-q", "-t", $"{Registry}:{version}", folder]);
    }

    private Task PushAsync(string version) => DockerAsync(["push", "-q", $"{Registry}:{version}"]);

    private async Task TagAndPushAsync(string from, string to)
    {
        _tags.Add($"{Registry}:{to}");
        await DockerAsync(["tag", $"{Registry}:{from}", $"{Registry}:{to}"]);
        await PushAsync(to);
    }

    private async Task DockerAsync(string[] args, string? input = null)
    {
        var start = new ProcessStartInfo("docker") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        start.Environment["DOCKER_CONFIG"] = DockerConfig;
        start.Environment["DOCKER_BUILDKIT"] = "0";
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(input ?? "");
        process.StandardInput.Close();
        var error = process.StandardError.ReadToEndAsync();
        var stdout = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"docker {string.Join(' ', args)} exited {process.ExitCode}:\n{stdout}{await error}");
    }

    private async Task<string?> PageAsync()
    {
        using var page = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            return (await page.GetStringAsync($"http://127.0.0.1:{_port}/")).Trim();
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException)
        {
            return null;
        }
    }

    private async Task WaitForPageAsync(string page, TimeSpan timeout, RelaisProcess agent, RelaisProcess server)
    {
        var watch = Stopwatch.StartNew();
        while (await PageAsync() != page)
        {
            if (watch.Elapsed > timeout)
            {
                var tasks = await DockerCommand.RunAsync("service", "ps", "--no-trunc", Service);
                Assert.Fail($"the service never served {page} (it serves {await PageAsync() ?? "nothing"}):\n{tasks.Out}{tasks.Err}\nagent:\n{agent.Output}\nserver:\n{server.Output}");
            }

            await Task.Delay(100);
        }
    }

    private static async Task<JsonElement> WaitForDeploymentAsync(HttpClient http, string sha, RelaisProcess agent)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var deployments = await http.GetFromJsonAsync<JsonElement>("/api/v4/projects/root%2Fapp/deployments?environment=production");
            if (deployments.EnumerateArray().FirstOrDefault(d => d.GetProperty("sha").GetString() == sha && d.GetProperty("status").GetString() != "running") is { ValueKind: JsonValueKind.Object } found)
            {
                return found;
            }

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"no finished deployment of {sha}: {deployments}\nagent:\n{agent.Output}");
            await Task.Delay(250);
        }
    }

    private static HttpClient Client(string url, string token)
    {
        var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("PRIVATE-TOKEN", token);
        return http;
    }
}

using System.Diagnostics;
using System.Globalization;

namespace Relais.EndToEnd;

/// <summary>
/// The Swarm side of the deploy test: makes the test engine a swarm manager when it is not one (and leaves it one:
/// other tests share the engine), builds the app's versions as local images (busybox httpd serving
/// <c>web-vN</c>), writes the compose file a commit carries, and watches the stack's service converge by reading its
/// page on the host-mode port. Disposing removes only this stack and these images.
/// </summary>
internal sealed class SwarmStack : IAsyncDisposable
{
    private readonly HttpClient _page = new() { Timeout = TimeSpan.FromSeconds(2) };
    private readonly List<string> _images = [];

    private readonly string _buildFolder;

    private SwarmStack(string name, int port, string buildFolder)
    {
        Name = name;
        Port = port;
        _buildFolder = buildFolder;
    }

    /// <summary>The stack's name (<c>DEPLOY_STACK</c>).</summary>
    public string Name { get; }

    /// <summary>The host port the service publishes (mode host: no routing mesh, no IPVS on these machines).</summary>
    public int Port { get; }

    private string Image => $"relais-test/swarm-web-{Name}";

    /// <summary>Makes the swarm if needed and builds one image per version (the build context: an empty folder in <paramref name="folder"/>).</summary>
    public static async Task<SwarmStack> CreateAsync(string name, string folder, params string[] versions)
    {
        if (await DockerCommand.OkAsync("info", "--format", "{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}") != "active true")
        {
            await DockerCommand.OkAsync("swarm", "init", "--advertise-addr", "127.0.0.1");
        }

        var stack = new SwarmStack(name, FreePorts.Next(), Directory.CreateDirectory(Path.Combine(folder, "web-image")).FullName);
        foreach (var version in versions)
        {
            await stack.BuildAsync(version);
        }

        return stack;
    }

    /// <summary>The compose file deploying <paramref name="version"/>.</summary>
    public string ComposeFile(string version) => $$"""
        version: "3.8"
        services:
          web:
            image: {{Image}}:{{version}}
            ports: [{ target: 8080, published: {{Port.ToString(CultureInfo.InvariantCulture)}}, protocol: tcp, mode: host }]
            stop_grace_period: 1s
            deploy:
              endpoint_mode: dnsrr
              update_config: { order: stop-first }
        """;

    /// <summary>The page the service answers right now, or null when nothing answers.</summary>
    public async Task<string?> PageAsync()
    {
        try
        {
            return (await _page.GetStringAsync($"http://127.0.0.1:{Port}/")).Trim();
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

    /// <summary>Waits until the service's page says <c>web-VERSION</c>; returns when it did, or fails with the service's tasks.</summary>
    public async Task WaitForAsync(string version, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (await PageAsync() != "web-" + version)
        {
            if (watch.Elapsed > timeout)
            {
                var tasks = await DockerCommand.RunAsync("service", "ps", "--no-trunc", Name + "_web");
                Assert.Fail($"the service never served web-{version} (it serves {await PageAsync() ?? "nothing"}):\n{tasks.Out}{tasks.Err}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>The image of the service's task that should be running (from <c>docker service ps</c>).</summary>
    public async Task<string> RunningImageAsync() =>
        (await DockerCommand.OkAsync("service", "ps", "--filter", "desired-state=running", "--format", "{{.Image}}", Name + "_web")).Trim();

    private async Task BuildAsync(string version)
    {
        var tag = $"{Image}:{version}";
        _images.Add(tag);
        await File.WriteAllTextAsync(Path.Combine(_buildFolder, "Dockerfile"), $"""
            FROM {DockerTest.Busybox}
            RUN mkdir /www && echo web-{version} > /www/index.html
            CMD ["httpd", "-f", "-p", "8080", "-h", "/www"]
            """);
        var (code, output, error) = await SshGitServer.RunAsync("docker", ["build", "-q", "-t", tag, _buildFolder],
            environment: new Dictionary<string, string> { ["DOCKER_BUILDKIT"] = "0" });
        Assert.True(code == 0, $"building {tag}: {output}{error}");
    }

    public async ValueTask DisposeAsync()
    {
        _page.Dispose();
        await DockerCommand.RunAsync("stack", "rm", Name);
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(20)
               && ((await DockerCommand.RunAsync("ps", "-aq", "--filter", "label=com.docker.stack.namespace=" + Name)).Out.Trim().Length > 0
                   || (await DockerCommand.RunAsync("network", "ls", "-q", "--filter", "label=com.docker.stack.namespace=" + Name)).Out.Trim().Length > 0))
        {
            await Task.Delay(250);
        }

        foreach (var image in _images)
        {
            await DockerCommand.RunAsync("rmi", "-f", image);
        }
    }
}

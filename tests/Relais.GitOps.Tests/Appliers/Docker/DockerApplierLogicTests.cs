using Relais.GitOps.Appliers.Docker;
using Relais.TestSupport;

namespace Relais.GitOps.Tests.Appliers.Docker;

/// <summary>The Docker appliers' pure parts: the hashed names, the compose model, convergence, the endpoint's environment.</summary>
public sealed class DockerApplierLogicTests
{
    [Fact]
    public void Configs_and_secrets_from_files_get_a_name_with_their_content_hash_and_external_ones_are_left_alone()
    {
        using var folder = new TempDirectory("hashed");
        folder.Write("nginx.conf", "server {}\n");
        folder.Write("token.txt", "s3cret");
        var file = ComposeFile.Parse("""
            services:
              web: { image: nginx }
            configs:
              nginx-conf: { file: ./nginx.conf }
              shared: { external: true }
            secrets:
              token: { file: token.txt, name: my-token, labels: { team: web } }
            """);

        var named = ContentHashedObjects.Apply(file, "demo", folder.Path);

        Assert.Equal(2, named.Count);
        Assert.Equal(("config", "nginx-conf"), (named[0].Kind, named[0].Key));
        Assert.Equal("demo_nginx-conf-" + Hash("server {}\n"), named[0].Name);
        Assert.Equal("my-token-" + Hash("s3cret"), named[1].Name);
        var saved = ComposeFile.Parse(file.Save());
        var configs = (YamlDotNet.RepresentationModel.YamlMappingNode)ComposeFile.Child(saved.Root, "configs")!;
        var conf = (YamlDotNet.RepresentationModel.YamlMappingNode)ComposeFile.Child(configs, "nginx-conf")!;
        Assert.Equal(folder.Combine("nginx.conf"), ComposeFile.Scalar(conf, "file"));
        Assert.Contains(ContentHashedObjects.Label + ": \"true\"", file.Save(), StringComparison.Ordinal);
        Assert.Contains("team: web", file.Save(), StringComparison.Ordinal);
        Assert.DoesNotContain("shared:\n    name", file.Save(), StringComparison.Ordinal);

        folder.Write("nginx.conf", "server { listen 80; }\n");
        var changed = ContentHashedObjects.Apply(ComposeFile.Parse("configs:\n  nginx-conf: { file: ./nginx.conf }\n"), "demo", folder.Path);
        Assert.NotEqual(named[0].Name, changed[0].Name);

        var listed = ComposeFile.Parse("secrets:\n  token: { file: token.txt, labels: [team=web] }\n");
        ContentHashedObjects.Apply(listed, "demo", folder.Path);
        var token = (YamlDotNet.RepresentationModel.YamlMappingNode)ComposeFile.Child((YamlDotNet.RepresentationModel.YamlMappingNode)ComposeFile.Child(ComposeFile.Parse(listed.Save()).Root, "secrets")!, "token")!;
        Assert.Equal(["team=web", ContentHashedObjects.Label + "=true"], ((YamlDotNet.RepresentationModel.YamlSequenceNode)ComposeFile.Child(token, "labels")!).Children.Select(n => n.ToString()));
    }

    [Fact]
    public void A_file_not_normalized_by_the_cli_keeps_its_env_files_with_absolute_paths()
    {
        using var folder = new TempDirectory("raw");
        var raw = ComposeFile.Parse("services:\n  web: { image: app, env_file: app.env }\n  api: { image: api, env_file: [a.env, /etc/b.env] }\n");
        PreparedStack.Rewrite(raw, "demo", folder.Path, normalized: false);
        var saved = ComposeFile.Parse(raw.Save()).Root;
        var services = (YamlDotNet.RepresentationModel.YamlMappingNode)ComposeFile.Child(saved, "services")!;
        string[] EnvFiles(string service) => [.. ((YamlDotNet.RepresentationModel.YamlSequenceNode)ComposeFile.Child((YamlDotNet.RepresentationModel.YamlMappingNode)ComposeFile.Child(services, service)!, "env_file")!).Children.Select(n => n.ToString())];
        Assert.Equal([folder.Combine("app.env")], EnvFiles("web"));
        Assert.Equal([folder.Combine("a.env"), "/etc/b.env"], EnvFiles("api"));

        var normalized = ComposeFile.Parse("services:\n  web: { image: app, env_file: [app.env], environment: { A: '1' } }\n");
        PreparedStack.Rewrite(normalized, "demo", folder.Path, normalized: true);
        Assert.DoesNotContain("env_file", normalized.Save(), StringComparison.Ordinal);
    }

    [Fact]
    public void Reads_services_replicas_global_mode_and_environment_in_both_forms()
    {
        var services = ComposeFile.Parse("""
            services:
              web:
                image: app:1.0
                environment: { A: "1", EMPTY: "", FROM_HOST: }
                deploy: { replicas: 3 }
                ports: ["127.0.0.1:8080:80", { target: 443, published: 8443, mode: host }, "53/udp"]
              agent:
                image: agent:2
                environment: [B=2, C]
                deploy: { mode: global }
              one: { image: one, scale: 2 }
              default: { image: d }
            """).Services();

        Assert.Equal(["web", "agent", "one", "default"], services.Select(s => s.Name));
        Assert.Equal([3, null, 2, 1], services.Select(s => s.Replicas));
        Assert.True(services[1].Global);
        Assert.Equal(new Dictionary<string, string?> { ["A"] = "1", ["EMPTY"] = "", ["FROM_HOST"] = null }, services[0].Environment);
        Assert.Equal(new Dictionary<string, string?> { ["B"] = "2", ["C"] = null }, services[1].Environment);
        Assert.Equal(["8080:80/tcp ingress", "8443:443/tcp host", ":53/udp ingress"], services[0].Ports); // ordinal order
        Assert.Empty(services[1].Ports);
    }

    [Fact]
    public void A_service_converges_when_its_replicas_run_the_current_spec_and_fails_when_swarm_pauses_or_rolls_back()
    {
        var service = Service(replicas: 2, update: null);
        Assert.Equal(ServiceHealthState.Converged, SwarmConvergence.Evaluate(service, [Task("app:2", "running"), Task("app:2", "running")]).State);

        var oldSpec = SwarmConvergence.Evaluate(service, [Task("app:2", "running"), Task("app:1", "running")]);
        Assert.Equal(ServiceHealthState.Converging, oldSpec.State);
        Assert.Equal("1/2 tasks running", oldSpec.Detail);

        var crashing = SwarmConvergence.Evaluate(service, [Task("app:2", "running"), Task("app:2", "failed", "task: non-zero exit (1)", desired: "shutdown")]);
        Assert.Equal("1/2 tasks running; last task error: task: non-zero exit (1)", crashing.Detail);

        Assert.Equal(ServiceHealthState.Converging, SwarmConvergence.Evaluate(Service(2, "updating"), [Task("app:2", "running"), Task("app:2", "running")]).State);
        var paused = SwarmConvergence.Evaluate(Service(2, "paused"), [Task("app:2", "failed", "task: non-zero exit (3)", desired: "shutdown")]);
        Assert.Equal((ServiceHealthState.Failed, "update paused, last task error: task: non-zero exit (3)", false), (paused.State, paused.Detail, paused.SwarmRolledBack));
        Assert.True(SwarmConvergence.Evaluate(Service(2, "rollback_completed"), []).SwarmRolledBack);

        Assert.Equal(ServiceHealthState.Converged, SwarmConvergence.Evaluate(Service(null, "completed"), [Task("app:2", "running")]).State);
        Assert.Equal(ServiceHealthState.Converging, SwarmConvergence.Evaluate(Service(null, null), [Task("app:2", "preparing")]).State);
    }

    [Fact]
    public void The_docker_host_sets_DOCKER_HOST_and_keeps_the_agent_tls_settings_only_for_tcp()
    {
        Assert.Empty(DockerEndpoint.EnvironmentFor(null));
        var tcp = DockerEndpoint.EnvironmentFor("tcp://swarm.example:2376");
        Assert.Equal("tcp://swarm.example:2376", tcp["DOCKER_HOST"]);
        Assert.False(tcp.ContainsKey("DOCKER_TLS_VERIFY"));
        var ssh = DockerEndpoint.EnvironmentFor("ssh://deploy@swarm.example");
        Assert.Equal("ssh://deploy@swarm.example", ssh["DOCKER_HOST"]);
        Assert.True(ssh.ContainsKey("DOCKER_TLS_VERIFY") && ssh["DOCKER_TLS_VERIFY"] is null);
        Assert.Equal("myapp_-2", ComposeTool.ProjectName("My.App_-2"));
    }

    private static string Hash(string content) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(content)))[..8];

    private static SwarmService Service(int? replicas, string? update) =>
        new("svc", "demo_web", "{}", "app:2", replicas, ["A=1"], [], [], update, null, HasPreviousSpec: true);

    private static SwarmTask Task(string image, string state, string? error = null, string desired = "running") =>
        new(Guid.NewGuid().ToString("N"), "svc", desired, state, error, DateTimeOffset.UnixEpoch, image, ["A=1"], []);
}

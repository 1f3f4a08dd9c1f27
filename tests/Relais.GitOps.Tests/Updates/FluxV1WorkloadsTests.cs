using System.Text;
using Relais.GitOps.Config;
using Relais.GitOps.Registry;
using Relais.GitOps.Tests.Registry;
using Relais.GitOps.Updates;
using Relais.Pipelines.Yaml;
using Relais.TestSupport;

namespace Relais.GitOps.Tests.Updates;

/// <summary>Flux v1's annotated workloads updated from a real registry, committed by the updater.</summary>
public sealed class FluxV1WorkloadsTests
{
    private static readonly DateTimeOffset Built = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    [RegistryFact]
    public async Task The_tutorials_manifest_gets_the_newest_tag_its_regexp_allows_which_keeps_tmp_out()
    {
        await using var registry = await RegistryProcess.StartAsync();
        var image = $"{registry.Address}/group/shark-app";
        await TestImages.PushAsync(registry.Address, "group/shark-app", Built, ["1.0.0"]);
        await TestImages.PushAsync(registry.Address, "group/shark-app", Built.AddHours(1), ["1.0.1"]);
        await TestImages.PushAsync(registry.Address, "group/shark-app", Built.AddHours(2), ["tmp"]);
        var manifest = $"""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: shark-app
              annotations:
                flux.weave.works/automated: "true"
                flux.weave.works/tag.shark-app: regexp:^((?!tmp).)*$
            spec:
              template:
                spec:
                  initContainers:
                    - name: migrate   # no annotation: glob:*, and so the newest image, tmp
                      image: "{image}:1.0.0"
                  containers:
                    - name: shark-app
                      image: {image}:1.0.0 # the app
            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: pinned
              annotations: {"{"} fluxcd.io/automated: "true", fluxcd.io/tag.app: "semver:~1.0" {"}"}
            spec:
              containers:
                - name: app
                  image: {image}:1.0.0
                - name: digest
                  image: {image}@sha256:{new string('0', 64)}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {"{"} name: manual {"}"}
            spec:
              template:
                spec:
                  containers:
                    - name: shark-app
                      image: {image}:1.0.0

            """;
        using var temp = new TempDirectory();
        var clone = temp.Combine("clone");
        TestGit.InitRepository(clone, ("kubernetes/shark-app.yaml", manifest));
        var bare = temp.Combine("origin.git");
        TestGit.Run(temp.Path, "clone", "-q", "--bare", clone, bare);
        var imageRepository = new ImageRepository("shark-app", "flux-system", SourceLocation.None, image, TimeSpan.FromMinutes(1), null, [], Insecure: true, "generic", false);
        using var tags = new RegistryTagSource([imageRepository], new Dictionary<string, Secret>(), TimeProvider.System);
        var updater = new GitImageUpdater(temp.Combine("state"), new Dictionary<string, Secret>(), tags, TimeProvider.System);
        var source = new GitRepository("app", "flux-system", SourceLocation.None, bare, new GitReference("main", null, null, null, null), TimeSpan.FromMinutes(1), null, null, false);
        var automation = CommitMessageTests.Automation("{{ range $o, $c := .Changed.Objects }}{{ $o.Kind }}/{{ $o.Name }}: {{ range $c }}{{ .NewValue }} {{ end }}\n{{ end }}") with { UpdatePath = "./kubernetes" };

        var first = await updater.UpdateAsync(automation, source, new Dictionary<string, PolicyImage>(), default);
        var text = TestGit.Run(bare, "show", "main:kubernetes/shark-app.yaml") + "\n";
        Assert.Equal(manifest
            .Replace($"\"{image}:1.0.0\"", $"\"{image}:tmp\"", StringComparison.Ordinal)
            .Replace($"image: {image}:1.0.0 # the app", $"image: {image}:1.0.1 # the app", StringComparison.Ordinal)
            .Replace($"- name: app\n      image: {image}:1.0.0", $"- name: app\n      image: {image}:1.0.1", StringComparison.Ordinal), text);
        Assert.Equal($"""
            Pod/pinned: {image}:1.0.1
            Deployment/shark-app: {image}:tmp {image}:1.0.1

            [ci skip]
            """, TestGit.Run(bare, "log", "-1", "--format=%B", "main"));
        Assert.Equal(["flux.weave.works/tag.migrate", "flux.weave.works/tag.shark-app", "fluxcd.io/tag.app"], first.Changes.Single().Changes.Select(c => c.Policy));

        // A newer release and a newer tmp: the filtered container moves to 1.1.0, the semver ~1.0 one stays.
        await TestImages.PushAsync(registry.Address, "group/shark-app", Built.AddHours(3), ["1.1.0"]);
        await TestImages.PushAsync(registry.Address, "group/shark-app", Built.AddHours(4), ["tmp-2"]);
        var second = await updater.UpdateAsync(automation, source, new Dictionary<string, PolicyImage>(), default);
        Assert.Equal(
            [($"{image}:tmp", $"{image}:tmp-2"), ($"{image}:1.0.1", $"{image}:1.1.0")],
            second.Changes.Single().Changes.Select(c => (c.OldValue, c.NewValue)));
        Assert.Equal(UpdateResult.None, await updater.UpdateAsync(automation, source, new Dictionary<string, PolicyImage>(), default));
    }

    [Fact]
    public void Registry_credentials_come_from_username_and_password_or_a_dockerconfigjson()
    {
        Assert.Equal(new("deploy", "pw"), RegistrySecretCredentials.For("r.example.com", new Dictionary<string, string> { ["username"] = "deploy", ["password"] = "pw" }));
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes("bot:t0ken:x"));
        var config = new Dictionary<string, string>
        {
            [".dockerconfigjson"] = "{\"auths\":{\"other.example.com\":{\"auth\":\"b3RoZXI6eA==\"},\"https://r.example.com:5000/v1/\":{\"auth\":\"" + auth
                + "\"},\"index.docker.io\":{\"username\":\"hub\",\"password\":\"h\"}}}",
        };
        Assert.Equal(new("bot", "t0ken:x"), RegistrySecretCredentials.For("r.example.com:5000", config));
        Assert.Equal(new("hub", "h"), RegistrySecretCredentials.For("registry-1.docker.io", config));
        Assert.Null(RegistrySecretCredentials.For("missing.example.com", config));
    }
}

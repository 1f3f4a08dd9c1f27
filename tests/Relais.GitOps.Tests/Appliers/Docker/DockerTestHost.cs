using System.Text.Json;
using Relais.GitOps.Appliers;
using Relais.GitOps.Config;
using Relais.GitOps.Sources;
using Relais.GitOps.Tools;
using Relais.Pipelines.Yaml;

namespace Relais.GitOps.Tests.Appliers.Docker;

/// <summary>
/// The test engine for the Docker applier tests: docker runs, a swarm (initialized when the engine is not in one; never
/// left), test images tagged from the local busybox under names of the test's own, requests for a source folder.
/// </summary>
internal static class DockerTestHost
{
    /// <summary>Runs docker against the test engine; fails the test when it fails.</summary>
    public static async Task<string> DockerAsync(params string[] arguments)
    {
        var result = await new CliCommand("docker", arguments).RunAsync(CancellationToken.None);
        Assert.True(result.Succeeded, $"docker {string.Join(' ', arguments)}: {result.Message}");
        return result.Output.Trim();
    }

    /// <summary>Runs docker against the test engine, whatever the outcome (cleanup).</summary>
    public static Task<CliResult> TryDockerAsync(params string[] arguments) => new CliCommand("docker", arguments).RunAsync(CancellationToken.None);

    /// <summary>Makes the engine a swarm manager when it is not one (the end-to-end Swarm test does the same).</summary>
    public static async Task EnsureSwarmAsync()
    {
        if (await DockerAsync("info", "--format", "{{.Swarm.LocalNodeState}}") != "active")
        {
            await DockerAsync("swarm", "init", "--advertise-addr", "127.0.0.1");
        }
    }

    /// <summary>Tags the local busybox as <c>repository:tag</c> for each tag (the same image under names a rollout can tell apart).</summary>
    public static async Task TagAsync(string repository, params string[] tags)
    {
        foreach (var tag in tags)
        {
            await DockerAsync("tag", Relais.TestSupport.DockerTest.Busybox, $"{repository}:{tag}");
        }
    }

    /// <summary>A request applying <paramref name="path"/> in <paramref name="source"/>.</summary>
    public static ApplyRequest Request(string kind, string name, string source, string path, bool prune, TimeSpan timeout) =>
        new(new DockerDeployment(kind, name, "flux-system", new SourceLocation("gitops.yaml", 1, 1),
                new ResourceRef("GitRepository", "app", "flux-system", new SourceLocation("gitops.yaml", 1, 1)),
                path, name, prune, TimeSpan.FromSeconds(5), null, null, null, false),
            new SourceArtifact("flux-system/app", source, new string('a', 40), "main@sha1:" + new string('a', 40), "main"),
            timeout);

    /// <summary>The running tasks' images of a service.</summary>
    public static async Task<IReadOnlyList<string>> RunningImagesAsync(string service)
    {
        var ids = (await DockerAsync("service", "ps", "-q", "--no-trunc", "--filter", "desired-state=running", service)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (ids.Length == 0)
        {
            return [];
        }

        using var tasks = JsonDocument.Parse(await DockerAsync(["inspect", "--type", "task", .. ids]));
        return [.. tasks.RootElement.EnumerateArray()
            .Where(t => t.GetProperty("Status").GetProperty("State").GetString() == "running")
            .Select(t => t.GetProperty("Spec").GetProperty("ContainerSpec").GetProperty("Image").GetString()!)
            .Order(StringComparer.Ordinal)];
    }
}

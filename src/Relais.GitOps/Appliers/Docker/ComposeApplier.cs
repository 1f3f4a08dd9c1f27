namespace Relais.GitOps.Appliers.Docker;

/// <summary>
/// Applies a <c>ComposeProject</c> on one Docker host: <c>compose -p PROJECT -f FILE up -d [--remove-orphans]</c>
/// (<c>docker compose</c>, else <c>docker-compose</c>), then waits until every service's containers run (and are
/// healthy when they have a healthcheck). Compose keeps no previous version to go back to, so an unhealthy apply is
/// reported (with the container's state and last log lines), not rolled back.
/// </summary>
public sealed class ComposeApplier(TimeProvider time) : IApplier
{
    /// <summary>How many log lines of a failing container the message carries.</summary>
    private const int LogLines = 5;

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    public ComposeApplier()
        : this(TimeProvider.System)
    {
    }

    public async Task<ApplyResult> ApplyAsync(ApplyRequest request, CancellationToken cancellationToken)
    {
        var (deployment, composePath) = DockerRequest.Read(request, "ComposeProject");
        var project = ComposeTool.ProjectName(deployment.DeploymentName);
        var docker = DockerTool.Docker(deployment.DockerHost);
        try
        {
            var compose = await ComposeTool.FindAsync(deployment.DockerHost, cancellationToken);
            var services = await ServicesAsync(compose, project, composePath, cancellationToken);
            var before = await ContainersAsync(docker, project, cancellationToken);
            var up = await compose.TryAsync(["-p", project, "-f", composePath, "up", "-d", .. deployment.Prune ? ["--remove-orphans"] : Array.Empty<string>()],
                cancellationToken, Path.GetDirectoryName(composePath));
            var after = await ContainersAsync(docker, project, cancellationToken);
            var changed = Changed(before, after);
            if (!up.Succeeded)
            {
                return new ApplyResult(false, changed, $"compose up of {project} failed: {up.Message}");
            }

            var deadline = time.GetUtcNow() + request.Timeout;
            while (true)
            {
                var health = ComposeHealth.Evaluate(services, after);
                if (health.All(h => h.State == ServiceHealthState.Converged))
                {
                    var what = changed.Count == 0 ? "nothing changed" : string.Join(", ", changed);
                    return new ApplyResult(true, changed, $"project {project} applied at {request.Source.Revision}: {what}");
                }

                if (health.Any(h => h.State == ServiceHealthState.Failed) || time.GetUtcNow() >= deadline)
                {
                    return new ApplyResult(false, changed, await FailureAsync(docker, project, health, after, cancellationToken));
                }

                await Task.Delay(PollInterval, time, cancellationToken);
                after = await ContainersAsync(docker, project, cancellationToken);
            }
        }
        catch (DockerCommandException e)
        {
            return new ApplyResult(false, [], e.Message);
        }
    }

    public async Task<IReadOnlyList<DiffEntry>> DiffAsync(ApplyRequest request, CancellationToken cancellationToken)
    {
        var (deployment, composePath) = DockerRequest.Read(request, "ComposeProject");
        var project = ComposeTool.ProjectName(deployment.DeploymentName);
        var compose = await ComposeTool.FindAsync(deployment.DockerHost, cancellationToken);
        var services = await ServicesAsync(compose, project, composePath, cancellationToken);
        var containers = await ContainersAsync(DockerTool.Docker(deployment.DockerHost), project, cancellationToken);
        return ComposeDiff.Compute(services, containers, deployment.Prune);
    }

    /// <summary>The file's services, as <c>compose config</c> normalizes them.</summary>
    private static async Task<IReadOnlyList<ComposeService>> ServicesAsync(DockerTool compose, string project, string composePath, CancellationToken cancellationToken) =>
        ComposeFile.Parse(await compose.RunAsync(["-p", project, "-f", composePath, "config"], cancellationToken, Path.GetDirectoryName(composePath))).Services();

    /// <summary>The project's containers, stopped ones included.</summary>
    internal static async Task<IReadOnlyList<ComposeContainer>> ContainersAsync(DockerTool docker, string project, CancellationToken cancellationToken)
    {
        var ids = SwarmState.Lines(await docker.RunAsync(["ps", "-a", "-q", "--no-trunc", "--filter", $"label={ComposeContainer.ProjectLabel}={project}"], cancellationToken));
        return ids.Count == 0 ? [] : ComposeContainer.ParseAll(await docker.RunAsync(["inspect", "--type", "container", .. ids], cancellationToken));
    }

    /// <summary>The services whose containers were created, replaced or removed.</summary>
    private static List<string> Changed(IReadOnlyList<ComposeContainer> before, IReadOnlyList<ComposeContainer> after)
    {
        ILookup<string, string> Ids(IReadOnlyList<ComposeContainer> containers) => containers.ToLookup(c => c.Service, c => c.Id, StringComparer.Ordinal);
        var old = Ids(before);
        var now = Ids(after);
        return [.. old.Select(g => g.Key).Union(now.Select(g => g.Key), StringComparer.Ordinal)
            .Where(service => !old[service].Order(StringComparer.Ordinal).SequenceEqual(now[service].Order(StringComparer.Ordinal)))
            .Order(StringComparer.Ordinal)
            .Select(service => "service " + service)];
    }

    /// <summary>Which services are not healthy, with their containers' state and last log lines.</summary>
    private static async Task<string> FailureAsync(DockerTool docker, string project, IReadOnlyList<ServiceHealth> health,
        IReadOnlyList<ComposeContainer> containers, CancellationToken cancellationToken)
    {
        var parts = new List<string>();
        foreach (var failing in health.Where(h => h.State != ServiceHealthState.Converged))
        {
            var part = $"service {failing.Service} not healthy: {failing.Detail}";
            if (containers.FirstOrDefault(c => c.Service == failing.Service && !c.Ready) is { } container)
            {
                var logs = await docker.TryAsync(["logs", "--tail", LogLines.ToString(System.Globalization.CultureInfo.InvariantCulture), container.Id], cancellationToken);
                var lines = (logs.Output + logs.Error).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (lines.Length > 0)
                {
                    part += " — last log lines: " + string.Join(" | ", lines.TakeLast(LogLines));
                }
            }

            parts.Add(part);
        }

        return $"project {project}: {string.Join("; ", parts)} (Compose keeps no previous version: nothing was rolled back)";
    }
}

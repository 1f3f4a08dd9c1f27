using Relais.Runner.Docker;

namespace Relais.Runner.Executors.Docker;

/// <summary>
/// Removes the executor's resources by label: one run's at cleanup, and what a crashed runner left behind (every
/// container, network and job volume labelled <c>relais.managed</c>, optionally of one runner, older than a threshold
/// and not of a run in progress). Per-project cache volumes are kept unless asked for.
/// </summary>
public static class DockerReaper
{
    /// <summary>
    /// Removes containers, then networks, then volumes carrying <paramref name="labels"/> for which
    /// <paramref name="select"/> holds; returns what was removed (<c>container NAME</c>, …).
    /// </summary>
    public static async Task<IReadOnlyList<string>> RemoveAsync(
        DockerClient docker, IReadOnlyList<KeyValuePair<string, string>> labels, Func<ResourceSummary, bool> select, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(docker);
        ArgumentNullException.ThrowIfNull(select);
        var removed = new List<string>();
        var networksListed = docker.ListNetworksAsync(labels, cancellationToken);
        var volumesListed = docker.ListVolumesAsync(labels, cancellationToken);
        var containers = await docker.ListContainersAsync(labels, cancellationToken);
        await Task.WhenAll(containers.Select(c => new ResourceSummary(c.Id, c.Name, c.Created, c.Labels)).Where(select).Select(async c =>
        {
            await docker.RemoveContainerAsync(c.Id, cancellationToken);
            lock (removed)
            {
                removed.Add("container " + c.Name);
            }
        }));

        foreach (var network in (await networksListed).Where(select))
        {
            await docker.RemoveNetworkAsync(network.Id, cancellationToken);
            removed.Add("network " + network.Name);
        }

        foreach (var volume in (await volumesListed).Where(select))
        {
            await docker.RemoveVolumeAsync(volume.Name, cancellationToken);
            removed.Add("volume " + volume.Name);
        }

        return removed;
    }

    /// <summary>
    /// Removes what crashed runners left: resources labelled <c>relais.managed</c> (of <paramref name="runner"/> when
    /// given) created before <paramref name="olderThan"/> ago, whose run is not in <paramref name="activeRuns"/>; cache
    /// volumes only with <paramref name="includeCaches"/>.
    /// </summary>
    public static Task<IReadOnlyList<string>> RemoveLeftoversAsync(
        DockerClient docker, string? runner, TimeSpan olderThan, IReadOnlyCollection<string> activeRuns, bool includeCaches,
        TimeProvider? time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activeRuns);
        var cutoff = (time ?? TimeProvider.System).GetUtcNow() - olderThan;
        List<KeyValuePair<string, string>> labels = [KeyValuePair.Create(DockerLabels.Managed, "true")];
        if (!string.IsNullOrEmpty(runner))
        {
            labels.Add(KeyValuePair.Create(DockerLabels.Runner, runner));
        }

        return RemoveAsync(docker, labels, r =>
            r.Created <= cutoff
            && !(r.Labels.TryGetValue(DockerLabels.RunId, out var run) && activeRuns.Contains(run))
            && (includeCaches || !r.Labels.ContainsKey(DockerLabels.Cache)), cancellationToken);
    }
}

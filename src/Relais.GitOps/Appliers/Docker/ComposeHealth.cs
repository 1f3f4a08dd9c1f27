namespace Relais.GitOps.Appliers.Docker;

/// <summary>
/// Judges a Compose project's services from their containers: converged when each has its wanted number of containers,
/// all running (and <c>healthy</c> when they have a healthcheck); failed when one has stopped for good.
/// </summary>
public static class ComposeHealth
{
    /// <summary>One health per service of the file.</summary>
    public static IReadOnlyList<ServiceHealth> Evaluate(IReadOnlyList<ComposeService> services, IReadOnlyList<ComposeContainer> containers) =>
        [.. services.Select(service => Evaluate(service, [.. containers.Where(c => c.Service == service.Name)]))];

    private static ServiceHealth Evaluate(ComposeService service, List<ComposeContainer> containers)
    {
        var wanted = service.Replicas ?? 1;
        var ready = containers.Count(c => c.Ready);
        var notReady = containers.FirstOrDefault(c => !c.Ready);
        if (notReady is { Stopped: true })
        {
            return new ServiceHealth(service.Name, ServiceHealthState.Failed, $"container {notReady.Name} {notReady.Describe()}");
        }

        return ready >= wanted && notReady is null
            ? new ServiceHealth(service.Name, ServiceHealthState.Converged, $"{ready}/{wanted} containers running")
            : new ServiceHealth(service.Name, ServiceHealthState.Converging,
                notReady is null ? $"{ready}/{wanted} containers running" : $"container {notReady.Name} {notReady.Describe()}");
    }
}

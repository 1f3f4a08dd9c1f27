namespace Relais.GitOps.Appliers.Docker;

/// <summary>
/// Tells whether a Swarm service has converged: no update in progress or paused, and its wanted number of tasks
/// (replicas, or one per node for a global service) running the current container spec.
/// </summary>
public static class SwarmConvergence
{
    /// <summary>Judges one service from its inspect and its tasks.</summary>
    public static ServiceHealth Evaluate(SwarmService service, IEnumerable<SwarmTask> allTasks)
    {
        var tasks = allTasks.Where(t => t.ServiceId == service.Id).ToList();
        var reason = LastError(tasks);
        switch (service.UpdateState)
        {
            case "paused" or "rollback_paused":
                return new ServiceHealth(service.Name, ServiceHealthState.Failed, reason is null ? $"update {service.UpdateState}: {service.UpdateMessage}" : $"update {service.UpdateState}, last task error: {reason}");
            case "rollback_started" or "rollback_completed":
                return new ServiceHealth(service.Name, ServiceHealthState.Failed, $"Swarm rolled the update back: {reason ?? service.UpdateMessage}", SwarmRolledBack: true);
            case "updating":
                return new ServiceHealth(service.Name, ServiceHealthState.Converging, reason ?? "updating");
        }

        var wanted = tasks.Where(t => t.DesiredState == "running").ToList();
        var current = wanted.Count(t => t.State == "running" && t.Runs(service));
        var converged = service.Replicas is { } replicas
            ? current == replicas && wanted.Count == replicas
            : current == wanted.Count && current > 0;
        var count = service.Replicas is { } r ? $"{current}/{r} tasks running" : $"{current}/{wanted.Count} global tasks running";
        return converged
            ? new ServiceHealth(service.Name, ServiceHealthState.Converged, count)
            : new ServiceHealth(service.Name, ServiceHealthState.Converging, reason is null ? count : $"{count}; last task error: {reason}");
    }

    private static string? LastError(IEnumerable<SwarmTask> tasks) =>
        tasks.Where(t => t.State is "failed" or "rejected" && !string.IsNullOrEmpty(t.Error))
            .OrderByDescending(t => t.Timestamp)
            .Select(t => t.Error)
            .FirstOrDefault();
}

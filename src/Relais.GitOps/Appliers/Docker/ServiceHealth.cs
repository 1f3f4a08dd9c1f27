namespace Relais.GitOps.Appliers.Docker;

/// <summary>Where a service (or a Compose service's containers) stands after an apply.</summary>
public enum ServiceHealthState
{
    /// <summary>Not there yet: tasks starting, an update in progress.</summary>
    Converging,

    /// <summary>Its wanted tasks (containers) run the current spec.</summary>
    Converged,

    /// <summary>It will not get there by itself: Swarm paused the update, or rolled it back.</summary>
    Failed,
}

/// <summary>One service's state and, when not converged, why (its last task's error).</summary>
/// <param name="SwarmRolledBack">Swarm rolled the update back itself (<c>failure_action: rollback</c>).</param>
public sealed record ServiceHealth(string Service, ServiceHealthState State, string Detail, bool SwarmRolledBack = false);

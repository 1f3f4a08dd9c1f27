namespace Relais.GitOps.Appliers.Docker;

/// <summary>Polls a stack's services until every one has converged, one has failed, or the time is up.</summary>
public sealed class SwarmWaiter(SwarmState state, TimeProvider time)
{
    /// <summary>How often the services and tasks are read.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>The services' last health (the failed or still converging ones first, then the others).</summary>
    public async Task<IReadOnlyList<ServiceHealth>> WaitAsync(string stack, IReadOnlySet<string> services, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + timeout;
        while (true)
        {
            var current = (await state.ServicesAsync(stack, cancellationToken)).Where(s => services.Contains(s.Name)).ToList();
            var tasks = await state.TasksAsync(current, cancellationToken);
            var health = current.Select(s => SwarmConvergence.Evaluate(s, tasks))
                .Concat(services.Except(current.Select(s => s.Name), StringComparer.Ordinal).Select(name => new ServiceHealth(name, ServiceHealthState.Converging, "not created")))
                .OrderBy(h => h.State == ServiceHealthState.Converged).ToList();
            if (health.All(h => h.State == ServiceHealthState.Converged) || health.Any(h => h.State == ServiceHealthState.Failed)
                || time.GetUtcNow() >= deadline)
            {
                return health;
            }

            await Task.Delay(PollInterval, time, cancellationToken);
        }
    }
}

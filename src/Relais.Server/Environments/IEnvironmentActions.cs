using Relais.Server.Storage;

namespace Relais.Server.Environments;

/// <summary>
/// What people do to environments and deployments, the same from the API and the web UI: stop an environment (running
/// its <c>on_stop</c> job), redeploy an earlier deployment (rollback), and record the status of a deployment made
/// outside a job. The pipeline's own effects (deployments made and moved by deploy jobs) come from the driver's hooks.
/// </summary>
public interface IEnvironmentActions
{
    /// <summary>
    /// Stops the environment: plays the <c>on_stop</c> job of its last deployment when there is one (the environment is
    /// <c>stopping</c> until that job succeeds), else stops it at once; <paramref name="force"/> stops it at once without
    /// running the job.
    /// </summary>
    Task<EnvironmentStopOutcome> StopAsync(EnvironmentRecord environment, long? userId, bool force, CancellationToken cancel);

    /// <summary>Redeploys what <paramref name="deployment"/> deployed by retrying its job (GitLab's rollback).</summary>
    Task<RedeployOutcome> RedeployAsync(DeploymentRecord deployment, long? userId, CancellationToken cancel);

    /// <summary>
    /// Moves a deployment made outside a job to <paramref name="status"/> (<c>PUT /deployments/:id</c>) with what follows
    /// (its webhook, the environment's auto-stop time); false when the move is not allowed.
    /// </summary>
    Task<bool> SetStatusAsync(DeploymentRecord deployment, string status, long? userId, CancellationToken cancel);
}

/// <summary>What stopping did: stopped at once, or <see cref="StopJobId"/> now runs; <see cref="Error"/> when refused.</summary>
public sealed record EnvironmentStopOutcome(bool Stopped, long? StopJobId, string? Error = null);

/// <summary>The job that now redeploys, or why there is none.</summary>
public sealed record RedeployOutcome(long? JobId, string? Error = null);

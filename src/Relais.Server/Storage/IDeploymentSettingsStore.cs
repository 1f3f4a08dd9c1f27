namespace Relais.Server.Storage;

/// <summary>
/// A project's "prevent outdated deployment jobs" settings (GitLab's <c>ci_forward_deployment_enabled</c> and
/// <c>ci_forward_deployment_rollback_allowed</c>, both on by default).
/// </summary>
public sealed record DeploymentSettings(bool ForwardDeploymentEnabled = true, bool ForwardDeploymentRollbackAllowed = true);

/// <summary>The <see cref="DeploymentSettings"/> of projects (<c>deployment_settings</c>; no row: GitLab's defaults).</summary>
public interface IDeploymentSettingsStore
{
    Task<DeploymentSettings> GetAsync(long projectId, CancellationToken cancel = default);

    Task SaveAsync(long projectId, DeploymentSettings settings, CancellationToken cancel = default);
}

using Dapper;

namespace Relais.Server.Storage;

/// <summary>The <see cref="IDeploymentSettingsStore"/> over SQLite or PostgreSQL (<c>deployment_settings</c>).</summary>
internal sealed class SqlDeploymentSettingsStore(IDatabase db) : IDeploymentSettingsStore
{
    public async Task<DeploymentSettings> GetAsync(long projectId, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        var row = await c.QuerySingleOrDefaultAsync<(bool Forward, bool Rollback)?>(new CommandDefinition(
            "SELECT forward_deployment_enabled, forward_deployment_rollback_allowed FROM deployment_settings WHERE project_id = @projectId",
            new { projectId },
            cancellationToken: cancel));
        return row is { } r ? new DeploymentSettings(r.Forward, r.Rollback) : new DeploymentSettings();
    }

    public async Task SaveAsync(long projectId, DeploymentSettings settings, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        await using var c = await db.OpenAsync(cancel);
        await c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO deployment_settings (project_id, forward_deployment_enabled, forward_deployment_rollback_allowed)
            VALUES (@projectId, @forward, @rollback)
            ON CONFLICT (project_id) DO UPDATE SET forward_deployment_enabled = @forward, forward_deployment_rollback_allowed = @rollback
            """,
            new { projectId, forward = settings.ForwardDeploymentEnabled, rollback = settings.ForwardDeploymentRollbackAllowed },
            cancellationToken: cancel));
    }
}

using Relais.Pipelines.Context;
using Relais.Server.Storage;
using Relais.Server.Webhooks;

namespace Relais.Server.Environments;

/// <summary>What a deployment just moved to, with what its job said of the environment (<see cref="Url"/> already expanded, <see cref="AutoStopIn"/> as written).</summary>
public sealed record DeploymentMove(
    DeploymentRecord Deployment, EnvironmentRecord Environment, string Status, DateTimeOffset At, string? Url, string? AutoStopIn, PipelineUser? User, string CommitTitle);

/// <summary>
/// What follows a deployment's move, the same for a job's deployment and one moved through the API: a deployment hook
/// (running, success, failed, canceled), and on success the environment's URL (when one is known), its auto-stop time
/// (<c>auto_stop_in</c>) and its state (<c>available</c> again, even if it was stopped).
/// </summary>
public sealed class DeploymentEffects(AggregateStores stores, WebhookEvents? webhooks, TimeProvider time)
{
    public async Task ApplyAsync(DeploymentMove move, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(move);
        var environment = move.Environment;
        if (move.Status == DeploymentStatuses.Success)
        {
            var now = time.GetUtcNow();
            if (!string.IsNullOrEmpty(move.Url) && move.Url != environment.ExternalUrl)
            {
                environment = environment with { ExternalUrl = move.Url };
                await stores.Environments.UpdateAsync(environment, now, cancel);
            }

            var (keep, at) = AutoStopTime.Of(move.AutoStopIn, move.At);
            if (!keep)
            {
                await stores.Environments.SetAutoStopAtAsync(environment.Id, at, now, cancel);
            }

            if (environment.State != EnvironmentStates.Available)
            {
                await stores.Environments.SetStateAsync(environment.Id, EnvironmentStates.Available, now, cancel: cancel);
            }
        }

        if (webhooks is not null && DeploymentStatusOf.IsHooked(move.Status))
        {
            var d = move.Deployment;
            await webhooks.DeploymentAsync(
                new DeploymentEvent(d.ProjectId, d.Id, move.Status, environment.Name, environment.ExternalUrl, d.JobId, d.Ref, d.Sha, move.CommitTitle, move.User, move.At)
                {
                    EnvironmentSlug = environment.Slug,
                    EnvironmentTier = environment.Tier,
                },
                cancel);
        }
    }
}

using Relais.Pipelines.Context;
using Relais.Server.Git;
using Relais.Server.Storage;

namespace Relais.Server.Webhooks;

/// <summary>What a deployment's status change tells hooks (issue #16's deployments call <see cref="WebhookEvents.DeploymentAsync"/>).</summary>
/// <param name="ProjectId">The project deployed from.</param>
/// <param name="DeploymentId">The deployment's id.</param>
/// <param name="Status">GitLab's deployment status: <c>running</c>, <c>success</c>, <c>failed</c>, <c>canceled</c>.</param>
/// <param name="Environment">The environment's name.</param>
/// <param name="EnvironmentExternalUrl">The environment's URL, if any.</param>
/// <param name="JobId">The job that deploys (<c>deployable_id</c>); null for a deployment made through the API.</param>
/// <param name="Ref">The branch or tag deployed.</param>
/// <param name="Sha">The commit deployed.</param>
/// <param name="CommitTitle">The commit's first line.</param>
/// <param name="User">Who caused it.</param>
/// <param name="StatusChangedAt">When the status changed.</param>
public sealed record DeploymentEvent(
    long ProjectId, long DeploymentId, string Status, string Environment, string? EnvironmentExternalUrl, long? JobId, string Ref, string Sha, string CommitTitle, PipelineUser? User, DateTimeOffset StatusChangedAt)
{
    /// <summary>The environment's slug (<c>environment_slug</c>).</summary>
    public string? EnvironmentSlug { get; init; }

    /// <summary>The environment's tier (<c>environment_tier</c>).</summary>
    public string? EnvironmentTier { get; init; }
}

/// <summary>The <c>Deployment Hook</c> payload (<c>object_kind: deployment</c>) in GitLab's shape.</summary>
internal static class DeploymentHookPayload
{
    public static Dictionary<string, object?> Build(DeploymentEvent d, ProjectRecord project, CloneUrls urls) => new()
    {
        ["object_kind"] = "deployment",
        ["status"] = d.Status,
        ["status_changed_at"] = HookObjects.UtcText(d.StatusChangedAt),
        ["deployment_id"] = d.DeploymentId,
        ["deployable_id"] = d.JobId,
        ["deployable_url"] = d.JobId is { } job ? $"{urls.Web(project)}/-/jobs/{job}" : null,
        ["environment"] = d.Environment,
        ["environment_tier"] = d.EnvironmentTier,
        ["environment_slug"] = d.EnvironmentSlug,
        ["environment_external_url"] = d.EnvironmentExternalUrl,
        ["project"] = HookObjects.Project(project, urls),
        ["short_sha"] = d.Sha.Length > 8 ? d.Sha[..8] : d.Sha,
        ["user"] = HookObjects.User(d.User),
        ["user_url"] = d.User is { } u ? $"{urls.ExternalUrl}/{u.Login}" : null,
        ["commit_url"] = $"{urls.Web(project)}/-/commit/{d.Sha}",
        ["commit_title"] = d.CommitTitle,
        ["ref"] = d.Ref,
    };
}

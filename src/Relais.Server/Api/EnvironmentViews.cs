using System.Text.Json.Serialization;
using Relais.Server.Git;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// An environment as GitLab's environments API shows it (<c>Entities::Environment</c>): <see cref="Project"/> in lists,
/// <see cref="LastDeployment"/> (its last successful deployment, without its environment) when one is read by id.
/// </summary>
public sealed record EnvironmentView(
    long Id,
    string Name,
    string Slug,
    string? ExternalUrl,
    string State,
    string Tier,
    string? CreatedAt,
    string? UpdatedAt,
    string? AutoStopAt,
    string AutoStopSetting,
    string? KubernetesNamespace,
    string? FluxResourcePath,
    object? ClusterAgent,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ProjectView? Project,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DeploymentView? LastDeployment);

/// <summary>The environment inside a deployment (GitLab's <c>EnvironmentBasic</c>, with its tier and state).</summary>
public sealed record DeploymentEnvironmentView(long Id, string Name, string Slug, string? ExternalUrl, string Tier, string State, string? CreatedAt, string? UpdatedAt);

/// <summary>
/// A deployment (<c>Entities::Deployment</c>): <see cref="Deployable"/> is its job in the jobs API's shape (null for one
/// made through the API); <see cref="Environment"/> is left out where the deployment is an environment's own last one.
/// </summary>
public sealed record DeploymentView(
    long Id,
    long Iid,
    string Ref,
    string Sha,
    string? CreatedAt,
    string? UpdatedAt,
    string? FinishedAt,
    string Status,
    IReadOnlyDictionary<string, object?>? User,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DeploymentEnvironmentView? Environment,
    JobView? Deployable);

/// <summary>Builds environment and deployment objects from the stores (a deployment's job through <see cref="JobViews"/>).</summary>
internal sealed class EnvironmentViews(AggregateStores stores, JobViews jobViews, CloneUrls cloneUrls, string externalUrl)
{
    public EnvironmentView Listed(EnvironmentRecord e, ProjectRecord project) => View(e, ApiViews.Project(project, cloneUrls), null);

    /// <summary>One environment read by id: with its last successful deployment, without the project.</summary>
    public async Task<EnvironmentView> DetailAsync(EnvironmentRecord e, ProjectRecord project, ApiCaller caller, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(e);
        var last = await stores.Deployments.LastAsync(e.Id, DeploymentStatuses.Success, cancel);
        return View(e, null, last is null ? null : await DeploymentAsync(last, project, caller, false, cancel));
    }

    /// <summary>A deployment, with its environment when <paramref name="withEnvironment"/>.</summary>
    public async Task<DeploymentView> DeploymentAsync(DeploymentRecord d, ProjectRecord project, ApiCaller caller, bool withEnvironment, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(d);
        var env = withEnvironment ? await stores.Environments.GetAsync(d.EnvironmentId, cancel) : null;
        var user = d.UserId is { } uid && await stores.Identity.GetUserAccountAsync(uid, cancel) is { } account ? UserShapes.Basic(account, externalUrl) : null;
        JobView? deployable = null;
        if (d.JobId is { } jobId && await stores.Pipelines.GetJobAsync(jobId, cancel) is { } job && job.ProjectId == project.Id)
        {
            var retried = (await stores.Pipelines.JobsOfPipelineAsync(job.PipelineId, cancel)).Any(j => j.Name == job.Name && j.Attempt > job.Attempt);
            deployable = await jobViews.Builder(project, caller).BuildAsync(job, retried, cancel);
        }

        return new DeploymentView(
            d.Id, d.Iid, d.Ref, d.Sha, ApiJson.Time(d.CreatedAt), ApiJson.Time(d.UpdatedAt), ApiJson.Time(d.FinishedAt), d.Status, user,
            env is null ? null : new DeploymentEnvironmentView(env.Id, env.Name, env.Slug, env.ExternalUrl, env.Tier, env.State, ApiJson.Time(env.CreatedAt), ApiJson.Time(env.UpdatedAt)),
            deployable);
    }

    private static EnvironmentView View(EnvironmentRecord e, ProjectView? project, DeploymentView? last) =>
        new(e.Id, e.Name, e.Slug, e.ExternalUrl, e.State, e.Tier, ApiJson.Time(e.CreatedAt), ApiJson.Time(e.UpdatedAt), ApiJson.Time(e.AutoStopAt), "always",
            e.KubernetesNamespace, null, null, project, last);
}

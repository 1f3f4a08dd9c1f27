using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Pipelines.Context;
using Relais.Server.Auth;
using Relais.Server.Environments;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// Deployments in GitLab's shapes: <c>GET /projects/:id/deployments</c> (filters and order of
/// <see cref="DeploymentListInput"/>, paginated), <c>GET …/:deployment_id</c>, <c>POST</c> (a deployment made outside a
/// job: <c>environment</c>, made when missing, <c>sha</c>, <c>ref</c>, <c>tag</c>, <c>status</c>; 201),
/// <c>PUT …/:deployment_id</c> (its <c>status</c>; 403 for a job's deployment), <c>DELETE …/:deployment_id</c> (not a
/// running one nor the environment's current one; Maintainer) and <c>GET …/:deployment_id/merge_requests</c> (always
/// empty: Relais has no merge requests). Reporters read, Developers create and update; a CI/CD job token may call every
/// route, as in GitLab. Status changes go through <see cref="IEnvironmentActions.SetStatusAsync"/>.
/// </summary>
internal sealed class DeploymentEndpoints(ApiGuard guard, AggregateStores stores, EnvironmentViews views, IEnvironmentActions actions, TimeProvider time)
{
    public const string Route = "/api/v4/projects/{id}/deployments";

    private static readonly string[] ApiStatuses = [DeploymentStatuses.Running, DeploymentStatuses.Success, DeploymentStatuses.Failed, DeploymentStatuses.Canceled];

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(Route, (HttpContext http, string id) => guard.JobTokenProjectAsync(http, id, AccessLevel.Reporter, (c, p) => ListAsync(http, c, p)));
        app.MapGet(Route + "/{did:long}", (HttpContext http, string id, long did) => guard.JobTokenProjectAsync(http, id, AccessLevel.Reporter, (c, p) =>
            WithDeploymentAsync(http, p, did, async d => ApiJson.Ok(await views.DeploymentAsync(d, p, c, true, http.RequestAborted)))));
        app.MapPost(Route, (HttpContext http, string id) => guard.JobTokenProjectAsync(http, id, AccessLevel.Developer, (c, p) => CreateAsync(http, c, p))).DisableAntiforgery();
        app.MapPut(Route + "/{did:long}", (HttpContext http, string id, long did) => guard.JobTokenProjectAsync(http, id, AccessLevel.Developer, (c, p) =>
            WithDeploymentAsync(http, p, did, d => UpdateAsync(http, c, p, d)))).DisableAntiforgery();
        app.MapDelete(Route + "/{did:long}", (HttpContext http, string id, long did) => guard.JobTokenProjectAsync(http, id, AccessLevel.Maintainer, (_, p) =>
            WithDeploymentAsync(http, p, did, DeleteAsync))).DisableAntiforgery();
        app.MapGet(Route + "/{did:long}/merge_requests", (HttpContext http, string id, long did) => guard.JobTokenProjectAsync(http, id, AccessLevel.Reporter, (_, p) =>
            WithDeploymentAsync(http, p, did, _ =>
            {
                Paging.From(http.Request).WriteHeaders(http.Response, 0);
                return Task.FromResult(ApiJson.Ok(Array.Empty<object>()));
            })));
    }

    private async Task<IResult> WithDeploymentAsync(HttpContext http, ProjectRecord project, long did, Func<DeploymentRecord, Task<IResult>> act) =>
        await stores.Deployments.GetAsync(did, http.RequestAborted) is { } d && d.ProjectId == project.Id ? await act(d) : EnvironmentEndpoints.NotFound();

    private async Task<IResult> ListAsync(HttpContext http, ApiCaller caller, ProjectRecord project)
    {
        var q = http.Request.Query.ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);
        var (filter, refused) = DeploymentListInput.Read(q);
        if (refused is not null)
        {
            return refused.Field is null ? ApiJson.BadRequest(refused.Message) : EnvironmentEndpoints.ParameterError(refused.Message);
        }

        var paging = Paging.From(http.Request);
        if (q.GetValueOrDefault("environment") is { Length: > 0 } name)
        {
            if (await stores.Environments.FindAsync(project.Id, name, http.RequestAborted) is not { } environment)
            {
                paging.WriteHeaders(http.Response, 0);
                return ApiJson.Ok(Array.Empty<object>());
            }

            filter = filter! with { EnvironmentId = environment.Id };
        }

        var (page, total) = await stores.Deployments.ListAsync(project.Id, filter!, paging.Offset, paging.PerPage, http.RequestAborted);
        paging.WriteHeaders(http.Response, total);
        var list = new List<DeploymentView>(page.Count);
        foreach (var d in page)
        {
            list.Add(await views.DeploymentAsync(d, project, caller, true, http.RequestAborted));
        }

        return ApiJson.Ok(list);
    }

    /// <summary>Records a deployment made outside a job: the environment is found or made by name, the deployment made <c>created</c> and moved to the status given.</summary>
    private async Task<IResult> CreateAsync(HttpContext http, ApiCaller caller, ProjectRecord project)
    {
        var f = await ApiParams.ReadAsync(http.Request);
        var missing = ((string[])["environment", "sha", "ref", "tag", "status"]).Where(k => f.GetValueOrDefault(k) is not { Length: > 0 }).ToList();
        if (missing.Count > 0)
        {
            return EnvironmentEndpoints.ParameterError(string.Join(", ", missing.Select(k => k + " is missing")));
        }

        if (f["tag"].ToUpperInvariant() is not ("TRUE" or "FALSE" or "1" or "0" or "YES" or "NO" or "T" or "F"))
        {
            return EnvironmentEndpoints.ParameterError("tag is invalid");
        }

        var status = f["status"];
        if (!ApiStatuses.Contains(status))
        {
            return EnvironmentEndpoints.ParameterError("status does not have a valid value");
        }

        var name = f["environment"];
        if (EnvironmentInput.NameProblem(name) is { } problem)
        {
            return ApiJson.Invalid("environment", "is invalid: name " + problem);
        }

        var now = time.GetUtcNow();
        var environment = await stores.Environments.EnsureAsync(project.Id, name, EnvironmentSlug.Of(name), EnvironmentTiers.Guess(name), now, CancellationToken.None);
        var made = await stores.Deployments.CreateAsync(
            new NewDeployment(project.Id, environment.Id, null, null, f["ref"], ApiParams.Bool(f, "tag") == true, f["sha"], caller.User?.Id, DeploymentStatuses.Created), now, CancellationToken.None);
        await actions.SetStatusAsync(made, status, caller.User?.Id, CancellationToken.None);
        var saved = (await stores.Deployments.GetAsync(made.Id, CancellationToken.None))!;
        return ApiJson.Ok(await views.DeploymentAsync(saved, project, caller, true, CancellationToken.None), StatusCodes.Status201Created);
    }

    private async Task<IResult> UpdateAsync(HttpContext http, ApiCaller caller, ProjectRecord project, DeploymentRecord d)
    {
        var f = await ApiParams.ReadAsync(http.Request);
        if (f.GetValueOrDefault("status") is not { Length: > 0 } status)
        {
            return EnvironmentEndpoints.ParameterError("status is missing");
        }

        if (!ApiStatuses.Contains(status))
        {
            return EnvironmentEndpoints.ParameterError("status does not have a valid value");
        }

        if (d.JobId is not null)
        {
            return ApiJson.Error(StatusCodes.Status403Forbidden, "403 Forbidden - Deployments created using GitLab CI can not be updated using the API");
        }

        if (!await actions.SetStatusAsync(d, status, caller.User?.Id, CancellationToken.None))
        {
            return ApiJson.Invalid("status", $"cannot transition from {d.Status} to {status}");
        }

        var saved = (await stores.Deployments.GetAsync(d.Id, CancellationToken.None))!;
        return ApiJson.Ok(await views.DeploymentAsync(saved, project, caller, true, CancellationToken.None));
    }

    /// <summary>GitLab's rules: a running deployment, or the environment's last successful one, stays (400 with GitLab's message).</summary>
    private async Task<IResult> DeleteAsync(DeploymentRecord d)
    {
        if (d.Status == DeploymentStatuses.Running)
        {
            return ApiJson.Error(StatusCodes.Status400BadRequest, "Cannot destroy running deployment");
        }

        if ((await stores.Deployments.LastAsync(d.EnvironmentId, DeploymentStatuses.Success, CancellationToken.None))?.Id == d.Id)
        {
            return ApiJson.Error(StatusCodes.Status400BadRequest, "Deployment currently deployed to environment");
        }

        await stores.Deployments.DeleteAsync(d.Id, CancellationToken.None);
        return Results.NoContent();
    }
}

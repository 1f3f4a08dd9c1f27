using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Auth;
using Relais.Server.Security;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// GitLab's (deprecated) project clusters API, for pipelines written for the certificate-based cluster integration:
/// <c>GET /projects/:id/clusters</c>, <c>GET …/:cluster_id</c>, <c>POST …/clusters/user</c> (201), <c>PUT …/:cluster_id</c>
/// and <c>DELETE …/:cluster_id</c> (204), for Maintainers. Relais connects to no cluster: a setting only gives deploy
/// jobs in a matching environment their <c>KUBE_*</c> variables and <c>KUBECONFIG</c>. One setting per environment scope;
/// the token is kept encrypted and never shown. Adding, changing and removing are audited.
/// </summary>
internal sealed class ClusterEndpoints(ApiGuard guard, AuditLog auditLog, IClusterStore store, ClusterViews views, TimeProvider time)
{
    private const string Route = "/api/v4/projects/{id}/clusters";
    private const string Duplicate = "cannot add duplicated environment scope";

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(Route, (HttpContext http, string id) => guard.ProjectAsync(http, id, AccessLevel.Maintainer, async (_, p) =>
        {
            var all = await store.ListAsync(p.Id, http.RequestAborted);
            var paging = Paging.From(http.Request);
            paging.WriteHeaders(http.Response, all.Count);
            var page = new List<Dictionary<string, object?>>();
            foreach (var c in all.Skip(paging.Offset).Take(paging.PerPage))
            {
                page.Add(await views.ViewAsync(c, null, http.RequestAborted));
            }

            return ApiJson.Ok(page);
        }));
        app.MapGet(Route + "/{cid:long}", (HttpContext http, string id, long cid) => guard.ProjectAsync(http, id, AccessLevel.Maintainer, async (_, p) =>
            await store.GetAsync(p.Id, cid, http.RequestAborted) is { } c ? ApiJson.Ok(await views.ViewAsync(c, p, http.RequestAborted)) : NotFound));
        app.MapPost(Route + "/user", (HttpContext http, string id) => guard.ProjectAsync(http, id, AccessLevel.Maintainer, (c, p) => CreateAsync(http, c, p))).DisableAntiforgery();
        app.MapPut(Route + "/{cid:long}", (HttpContext http, string id, long cid) => guard.ProjectAsync(http, id, AccessLevel.Maintainer, (c, p) => UpdateAsync(http, c, p, cid))).DisableAntiforgery();
        app.MapDelete(Route + "/{cid:long}", (HttpContext http, string id, long cid) => guard.ProjectAsync(http, id, AccessLevel.Maintainer, async (c, p) =>
        {
            if (await store.GetAsync(p.Id, cid, http.RequestAborted) is not { } cluster || !await store.DeleteAsync(p.Id, cid, CancellationToken.None))
            {
                return NotFound;
            }

            await AuditAsync(http, c, p, "cluster_deleted", cluster);
            return Results.NoContent();
        }));
    }

    private static IResult NotFound => ApiJson.Error(StatusCodes.Status404NotFound, "404 Not found");

    private async Task<IResult> CreateAsync(HttpContext http, ApiCaller caller, ProjectRecord project)
    {
        var (cluster, error) = ClusterInput.Read(await ApiParams.ReadAsync(http.Request), new ClusterRecord { ProjectId = project.Id, UserId = caller.User?.Id }, creating: true);
        if (cluster is null)
        {
            return error!;
        }

        if (await store.CreateAsync(cluster, time.GetUtcNow(), CancellationToken.None) is not { } made)
        {
            return ApiJson.Invalid("environment_scope", Duplicate);
        }

        await AuditAsync(http, caller, project, "cluster_created", made);
        return ApiJson.Ok(await views.ViewAsync(made, project, CancellationToken.None), StatusCodes.Status201Created);
    }

    private async Task<IResult> UpdateAsync(HttpContext http, ApiCaller caller, ProjectRecord project, long id)
    {
        if (await store.GetAsync(project.Id, id, http.RequestAborted) is not { } before)
        {
            return NotFound;
        }

        var (cluster, error) = ClusterInput.Read(await ApiParams.ReadAsync(http.Request), before, creating: false);
        if (cluster is null)
        {
            return error!;
        }

        if (!await store.UpdateAsync(cluster, time.GetUtcNow(), CancellationToken.None))
        {
            return await store.GetAsync(project.Id, id, CancellationToken.None) is null ? NotFound : ApiJson.Invalid("environment_scope", Duplicate);
        }

        await AuditAsync(http, caller, project, "cluster_updated", cluster);
        return ApiJson.Ok(await views.ViewAsync((await store.GetAsync(project.Id, id, CancellationToken.None))!, project, CancellationToken.None));
    }

    private Task AuditAsync(HttpContext http, ApiCaller caller, ProjectRecord project, string action, ClusterRecord cluster) =>
        auditLog.RecordAsync(http, AuditActor.Of(caller.User), action, "Project", project.Id, project.Path,
            $"cluster {cluster.Id} {cluster.Name} (environment scope {cluster.EnvironmentScope}, {cluster.ApiUrl})");
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Auth;
using Relais.Server.Security;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// A project's releases (<c>/projects/:id/releases</c>): list (<c>order_by</c> released_at/created_at, <c>sort</c>,
/// paginated), one by tag, <c>permalink/latest</c> (a redirect to the newest, as GitLab), create (<c>tag_name</c>,
/// <c>name</c>, <c>description</c>, <c>released_at</c>, <c>assets.links</c>; a missing tag is made from <c>ref</c>, with
/// <c>tag_message</c> an annotated one), update and delete. Reading needs Guest, changes Developer; a CI/CD job token
/// may do either (the <c>release:</c> keyword's jobs).
/// </summary>
internal sealed class ReleaseEndpoints(ApiGuard guard, AuditLog auditLog, IReleaseStore releases, ReleaseViews views, ReleaseCreator creator, TimeProvider time)
{
    private const string Route = "/api/v4/projects/{id}/releases";

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(Route, (HttpContext http, string id) => guard.JobTokenProjectAsync(http, id, AccessLevel.Guest, (_, p) => ListAsync(http, p)));
        app.MapGet(Route + "/permalink/latest/{**suffix}", (HttpContext http, string id, string? suffix) =>
            guard.JobTokenProjectAsync(http, id, AccessLevel.Guest, (_, p) => LatestAsync(http, p, suffix)));
        app.MapGet(Route + "/{tag}", (HttpContext http, string id, string tag) => guard.JobTokenProjectAsync(http, id, AccessLevel.Guest, async (_, p) =>
            await releases.FindAsync(p.Id, ProjectRepository.RouteName(tag), http.RequestAborted) is { } r
                ? ApiJson.Ok(await views.OfAsync(p, r, time.GetUtcNow(), http.RequestAborted))
                : NotFound()));
        app.MapPost(Route, (HttpContext http, string id) => guard.JobTokenProjectAsync(http, id, AccessLevel.Developer, (c, p) => CreateAsync(http, c, p)))
            .DisableAntiforgery();
        app.MapPut(Route + "/{tag}", (HttpContext http, string id, string tag) => guard.JobTokenProjectAsync(http, id, AccessLevel.Developer, (c, p) =>
            UpdateAsync(http, c, p, ProjectRepository.RouteName(tag)))).DisableAntiforgery();
        app.MapDelete(Route + "/{tag}", (HttpContext http, string id, string tag) => guard.JobTokenProjectAsync(http, id, AccessLevel.Developer, (c, p) =>
            DeleteAsync(http, c, p, ProjectRepository.RouteName(tag))));
    }

    /// <summary>GitLab's bare 404 for a release that does not exist.</summary>
    public static IResult NotFound() => ApiJson.Error(StatusCodes.Status404NotFound, "404 Not Found");

    private async Task<IResult> ListAsync(HttpContext http, ProjectRecord project)
    {
        var paging = Paging.From(http.Request);
        var query = http.Request.Query;
        var byCreated = query["order_by"] == "created_at";
        var ascending = query["sort"] == "asc";
        var (page, total) = await releases.ListAsync(project.Id, byCreated, ascending, paging.Offset, paging.PerPage, http.RequestAborted);
        paging.WriteHeaders(http.Response, total);
        return ApiJson.Ok(await views.OfAsync(project, page, time.GetUtcNow(), http.RequestAborted));
    }

    private async Task<IResult> LatestAsync(HttpContext http, ProjectRecord project, string? suffix)
    {
        var (page, _) = await releases.ListAsync(project.Id, byCreated: false, ascending: false, 0, 1, http.RequestAborted);
        if (page is not [var latest])
        {
            return NotFound();
        }

        var path = $"/api/v4/projects/{project.Id}/releases/{Uri.EscapeDataString(latest.TagName)}" + (suffix is { Length: > 0 } s ? "/" + s : "");
        return Results.Redirect(path + http.Request.QueryString);
    }

    private async Task<IResult> CreateAsync(HttpContext http, ApiCaller caller, ProjectRecord project)
    {
        var input = await ReleaseInput.ReadAsync(http.Request);
        if (input["tag_name"] is not { Length: > 0 })
        {
            return ApiJson.BadRequest("tag_name is missing");
        }

        var (releasedAt, validTime) = input.Time("released_at");
        if (!validTime)
        {
            return ApiJson.Error(StatusCodes.Status400BadRequest, "released_at is invalid");
        }

        var request = new ReleaseRequest(input["tag_name"], input["name"], input["description"], input["ref"], input["tag_message"], releasedAt, input.Links);
        var (created, refused) = await creator.CreateAsync(http, caller, project, request);
        return created is null
            ? refused!.ToResult()
            : ApiJson.Ok(await views.OfAsync(project, created, time.GetUtcNow(), CancellationToken.None), StatusCodes.Status201Created);
    }

    private async Task<IResult> UpdateAsync(HttpContext http, ApiCaller caller, ProjectRecord project, string tagName)
    {
        var input = await ReleaseInput.ReadAsync(http.Request);
        if (await releases.FindAsync(project.Id, tagName, http.RequestAborted) is not { } release)
        {
            return NotFound();
        }

        var (releasedAt, validTime) = input.Time("released_at");
        if (!validTime)
        {
            return ApiJson.Error(StatusCodes.Status400BadRequest, "released_at is invalid");
        }

        var name = input["name"] is { Length: > 0 } n ? n : release.Name;
        var description = input.Fields.ContainsKey("description") ? input["description"] : release.Description;
        await releases.UpdateAsync(release.Id, name, description, releasedAt, CancellationToken.None);
        await auditLog.RecordAsync(http, Actor(caller), "release_updated", "Project", project.Id, project.Path, tagName);
        var updated = await releases.FindAsync(project.Id, tagName, CancellationToken.None);
        return updated is null ? NotFound() : ApiJson.Ok(await views.OfAsync(project, updated, time.GetUtcNow(), CancellationToken.None));
    }

    private async Task<IResult> DeleteAsync(HttpContext http, ApiCaller caller, ProjectRecord project, string tagName)
    {
        if (await releases.FindAsync(project.Id, tagName, http.RequestAborted) is not { } release)
        {
            return NotFound();
        }

        var view = await views.OfAsync(project, release, time.GetUtcNow(), http.RequestAborted);
        if (!await releases.DeleteAsync(release.Id, CancellationToken.None))
        {
            return NotFound();
        }

        await auditLog.RecordAsync(http, Actor(caller), "release_deleted", "Project", project.Id, project.Path, tagName);
        return ApiJson.Ok(view);
    }

    /// <summary>The audit log's actor: the user, or the job whose token made the call for a pipeline nobody known caused.</summary>
    public static AuditActor Actor(ApiCaller caller) =>
        caller.User is null && caller.Job is { } job ? new AuditActor(null, $"job #{job.Id}") : AuditActor.Of(caller.User);
}

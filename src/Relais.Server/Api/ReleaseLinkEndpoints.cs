using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Auth;
using Relais.Server.Security;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// A release's asset links (<c>/projects/:id/releases/:tag_name/assets/links[/:link_id]</c>): list, one, create
/// (<c>name</c>, <c>url</c>, <c>direct_asset_path</c>, <c>link_type</c>), update and delete (which answers the deleted
/// link, as GitLab). Reading needs Guest, changes Developer; CI/CD job tokens are accepted.
/// </summary>
internal sealed class ReleaseLinkEndpoints(ApiGuard guard, AuditLog auditLog, IReleaseStore releases, ReleaseViews views, TimeProvider time)
{
    private const string Route = "/api/v4/projects/{id}/releases/{tag}/assets/links";

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(Route, (HttpContext http, string id, string tag) => WithReleaseAsync(http, id, tag, AccessLevel.Guest, async (_, p, r) =>
        {
            var links = await releases.ListLinksAsync([r.Id], http.RequestAborted);
            var paging = Paging.From(http.Request);
            paging.WriteHeaders(http.Response, links.Count);
            return ApiJson.Ok(links.Skip(paging.Offset).Take(paging.PerPage).Select(l => views.Link(p, r.TagName, l)).ToList());
        }));
        app.MapGet(Route + "/{linkId:long}", (HttpContext http, string id, string tag, long linkId) => WithLinkAsync(http, id, tag, linkId, AccessLevel.Guest, (_, p, r, l) =>
            Task.FromResult(ApiJson.Ok(views.Link(p, r.TagName, l)))));
        app.MapPost(Route, (HttpContext http, string id, string tag) => WithReleaseAsync(http, id, tag, AccessLevel.Developer, (c, p, r) => CreateAsync(http, c, p, r)))
            .DisableAntiforgery();
        app.MapPut(Route + "/{linkId:long}", (HttpContext http, string id, string tag, long linkId) =>
            WithLinkAsync(http, id, tag, linkId, AccessLevel.Developer, (c, p, r, l) => UpdateAsync(http, c, p, r, l))).DisableAntiforgery();
        app.MapDelete(Route + "/{linkId:long}", (HttpContext http, string id, string tag, long linkId) =>
            WithLinkAsync(http, id, tag, linkId, AccessLevel.Developer, async (c, p, r, l) =>
            {
                await releases.DeleteLinkAsync(r.Id, l.Id, CancellationToken.None);
                await auditLog.RecordAsync(http, ReleaseEndpoints.Actor(c), "release_link_deleted", "Project", p.Id, p.Path, r.TagName + ": " + l.Name);
                return ApiJson.Ok(views.Link(p, r.TagName, l));
            }));
    }

    private async Task<IResult> CreateAsync(HttpContext http, ApiCaller caller, ProjectRecord project, ReleaseRecord release)
    {
        var input = await ReleaseInput.ReadAsync(http.Request);
        var link = ReleaseInput.Link(input["name"], input["url"], input["direct_asset_path"] ?? input["filepath"], input["link_type"]) with { ReleaseId = release.Id };
        if (ReleaseInput.Problem(link) is { } problem)
        {
            return ApiJson.Invalid(problem.Field, problem.Problem);
        }

        var existing = await releases.ListLinksAsync([release.Id], http.RequestAborted);
        if (existing.Any(l => l.Name == link.Name || l.Url == link.Url))
        {
            return ApiJson.Invalid(existing.Any(l => l.Name == link.Name) ? "name" : "url", "has already been taken");
        }

        var created = await releases.AddLinkAsync(link, time.GetUtcNow(), CancellationToken.None);
        await auditLog.RecordAsync(http, ReleaseEndpoints.Actor(caller), "release_link_created", "Project", project.Id, project.Path, release.TagName + ": " + link.Name);
        return ApiJson.Ok(views.Link(project, release.TagName, created), StatusCodes.Status201Created);
    }

    private async Task<IResult> UpdateAsync(HttpContext http, ApiCaller caller, ProjectRecord project, ReleaseRecord release, ReleaseLinkRecord link)
    {
        var input = await ReleaseInput.ReadAsync(http.Request);
        var path = input["direct_asset_path"] ?? input["filepath"];
        var changed = ReleaseInput.Link(input["name"] ?? link.Name, input["url"] ?? link.Url, path ?? link.DirectAssetPath, input["link_type"] ?? link.LinkType)
            with
        { Id = link.Id, ReleaseId = release.Id };
        if (ReleaseInput.Problem(changed) is { } problem)
        {
            return ApiJson.Invalid(problem.Field, problem.Problem);
        }

        await releases.UpdateLinkAsync(changed, CancellationToken.None);
        await auditLog.RecordAsync(http, ReleaseEndpoints.Actor(caller), "release_link_updated", "Project", project.Id, project.Path, release.TagName + ": " + changed.Name);
        return ApiJson.Ok(views.Link(project, release.TagName, changed));
    }

    private Task<IResult> WithReleaseAsync(HttpContext http, string id, string tag, AccessLevel level, Func<ApiCaller, ProjectRecord, ReleaseRecord, Task<IResult>> handler) =>
        guard.JobTokenProjectAsync(http, id, level, async (c, p) =>
            await releases.FindAsync(p.Id, ProjectRepository.RouteName(tag), http.RequestAborted) is { } r ? await handler(c, p, r) : ReleaseEndpoints.NotFound());

    private Task<IResult> WithLinkAsync(HttpContext http, string id, string tag, long linkId, AccessLevel level, Func<ApiCaller, ProjectRecord, ReleaseRecord, ReleaseLinkRecord, Task<IResult>> handler) =>
        WithReleaseAsync(http, id, tag, level, async (c, p, r) =>
            (await releases.ListLinksAsync([r.Id], http.RequestAborted)).FirstOrDefault(l => l.Id == linkId) is { } link ? await handler(c, p, r, link) : ReleaseEndpoints.NotFound());
}

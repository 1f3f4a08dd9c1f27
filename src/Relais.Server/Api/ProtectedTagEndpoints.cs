using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Auth;
using Relais.Server.Git;
using Relais.Server.Security;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// Protected tags in GitLab's shapes: <c>GET/POST /projects/:id/protected_tags</c>, <c>GET/DELETE …/protected_tags/:name</c>
/// (the name URL-encoded; wildcards such as <c>v*</c> allowed). POST takes <c>name</c>, <c>create_access_level</c>
/// (default 40) and <c>allowed_to_create</c> (<c>user_id</c>, <c>deploy_key_id</c>, <c>access_level</c>); an existing
/// name is 422, as GitLab answers. Every route needs Maintainer, as GitLab's. Who may create, move or delete tags
/// follows <see cref="PushRules"/>; pipelines of protected tags receive the protected variables.
/// </summary>
internal sealed class ProtectedTagEndpoints(ApiGuard guard, AuditLog auditLog, IProjectStore projectStore, ProtectedRefViews views, TimeProvider time)
{
    private const string Route = "/api/v4/projects/{id}/protected_tags";

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(Route, (HttpContext http, string id) => guard.ProjectAsync(http, id, AccessLevel.Maintainer, async (_, p) =>
        {
            var list = new List<ProtectedTagView>();
            foreach (var t in await projectStore.ListProtectedTagsAsync(p.Id, http.RequestAborted))
            {
                list.Add(await views.TagAsync(t, http.RequestAborted));
            }

            return ApiJson.Ok(list);
        }));
        app.MapGet(Route + "/{name}", (HttpContext http, string id, string name) => guard.ProjectAsync(http, id, AccessLevel.Maintainer, async (_, p) =>
            await FindAsync(p, name, http.RequestAborted) is { } t ? ApiJson.Ok(await views.TagAsync(t, http.RequestAborted)) : ApiJson.NotFound("Protected Tag")));
        app.MapPost(Route, (HttpContext http, string id) => guard.ProjectAsync(http, id, AccessLevel.Maintainer, (c, p) => ProtectAsync(http, c, p)))
            .DisableAntiforgery();
        app.MapDelete(Route + "/{name}", (HttpContext http, string id, string name) => guard.ProjectAsync(http, id, AccessLevel.Maintainer, async (c, p) =>
        {
            if (await FindAsync(p, name, http.RequestAborted) is not { } tag || !await projectStore.UnprotectTagAsync(p.Id, tag.Name, CancellationToken.None))
            {
                return ApiJson.NotFound("Protected Tag");
            }

            await auditLog.RecordAsync(http, AuditActor.Of(c.User), "protected_tag_deleted", "Project", p.Id, p.Path, tag.Name);
            return Results.NoContent();
        }));
    }

    private async Task<ProtectedTagRecord?> FindAsync(ProjectRecord p, string name, CancellationToken cancel)
    {
        var wanted = Uri.UnescapeDataString(name);
        return (await projectStore.ListProtectedTagsAsync(p.Id, cancel)).FirstOrDefault(t => t.Name == wanted);
    }

    private async Task<IResult> ProtectAsync(HttpContext http, ApiCaller caller, ProjectRecord project)
    {
        var f = await ApiParams.ReadAsync(http.Request);
        var name = f.GetValueOrDefault("name");
        if (string.IsNullOrWhiteSpace(name))
        {
            return ApiJson.BadRequest("name is missing");
        }

        if (!ProtectedRefInput.TryLevel(f, "create_access_level", out var level) || ProtectedRefInput.Allowed(f, "allowed_to_create") is not { } allowed)
        {
            return ApiJson.BadRequest("create_access_level does not have a valid value");
        }

        var tag = new ProtectedTagRecord
        {
            ProjectId = project.Id,
            Name = name,
            CreateAccessLevel = level ?? ProtectedRefInput.LevelOf(allowed) ?? 40,
            Grants = [.. ProtectedRefInput.GrantsOf(allowed, ProtectedRefAction.Create)],
        };
        if (await views.InvalidGrantAsync(project.Id, tag.Grants, CancellationToken.None) is { } invalid)
        {
            return ApiJson.Error(StatusCodes.Status422UnprocessableEntity, invalid);
        }

        if (await projectStore.ProtectTagAsync(tag, time.GetUtcNow(), CancellationToken.None) is not { } created)
        {
            return ApiJson.Error(StatusCodes.Status422UnprocessableEntity, "Name has already been taken");
        }

        await auditLog.RecordAsync(http, AuditActor.Of(caller.User), "protected_tag_created", "Project", project.Id, project.Path, name);
        return ApiJson.Ok(await views.TagAsync(created, CancellationToken.None), StatusCodes.Status201Created);
    }
}

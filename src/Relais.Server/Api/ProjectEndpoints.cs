using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Auth;
using Relais.Server.Git;
using Relais.Server.Security;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// <c>GET /version</c>, and projects: list, get (by id or <c>group%2Fname</c>), create (in the
/// caller's namespace) and <c>PUT /projects/:id</c> (visibility, and ours, <c>relais_trusted</c>: administrators only).
/// </summary>
internal sealed class ProjectEndpoints(CloneUrls cloneUrls, ApiGuard guard, AuditLog auditLog, IProjectStore projectStore, TimeProvider time)
{
    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v4/version", () => ApiJson.Ok(new Dictionary<string, string> { ["version"] = "17.0.0-relais", ["revision"] = "relais" }));
        app.MapGet("/api/v4/projects", Task<IResult> (HttpContext http) => guard.UserAsync(http, required: false, c => ListAsync(http, c)));
        app.MapGet("/api/v4/projects/{id}", (HttpContext http, string id) =>
            guard.ProjectAsync(http, id, AccessLevel.Guest, (_, p) => Task.FromResult(ApiJson.Ok(ApiViews.Project(p, cloneUrls)))));
        app.MapPost("/api/v4/projects", Task<IResult> (HttpContext http) => guard.UserAsync(http, required: true, c => CreateAsync(http, c)))
            .DisableAntiforgery();
        app.MapPut("/api/v4/projects/{id}", (HttpContext http, string id) => guard.ProjectAsync(http, id, AccessLevel.Maintainer, async (caller, p) =>
        {
            var fields = await ApiParams.ReadAsync(http.Request);
            if (ApiParams.Bool(fields, "relais_trusted") is { } trusted)
            {
                if (!caller.IsAdmin)
                {
                    return ApiJson.Error(StatusCodes.Status403Forbidden, "403 Forbidden - only an administrator may change relais_trusted");
                }

                await projectStore.SetProjectTrustedAsync(p.Id, trusted, CancellationToken.None);
                await auditLog.RecordAsync(http, AuditActor.Of(caller.User), "project_trust_changed", "Project", p.Id, p.Path, $"{p.Trusted} -> {trusted}");
            }

            if (fields.TryGetValue("visibility", out var visibility))
            {
                if (visibility is not ("public" or "private"))
                {
                    return ApiJson.BadRequest("visibility does not have a valid value");
                }

                await projectStore.SetProjectVisibilityAsync(p.Id, visibility, CancellationToken.None);
                await auditLog.RecordAsync(http, AuditActor.Of(caller.User), "project_visibility_changed", "Project", p.Id, p.Path, $"{p.Visibility} -> {visibility}");
            }

            return ApiJson.Ok(ApiViews.Project((await projectStore.GetProjectAsync(p.Id, http.RequestAborted))!, cloneUrls));
        })).DisableAntiforgery();
    }

    private async Task<IResult> ListAsync(HttpContext http, ApiCaller caller)
    {
        var paging = Paging.From(http.Request);
        var query = http.Request.Query;
        var owned = ApiParams.Bool(query.ToDictionary(q => q.Key, q => q.Value.ToString()), "owned") == true;
        var search = query["search"].ToString();
        var visible = (await projectStore.ListProjectsAsync(http.RequestAborted))
            .Where(p => caller.CanSee(p) && (!owned || caller.LevelIn(p) == AccessLevel.Owner))
            .Where(p => search.Length == 0 || p.Path.Contains(search, StringComparison.OrdinalIgnoreCase))
            .Where(p => query["visibility"].ToString() is not { Length: > 0 } v || p.Visibility == v)
            .ToList();
        paging.WriteHeaders(http.Response, visible.Count);
        return ApiJson.Ok(visible.Skip(paging.Offset).Take(paging.PerPage).Select(p => ApiViews.Project(p, cloneUrls)).ToList());
    }

    private async Task<IResult> CreateAsync(HttpContext http, ApiCaller caller)
    {
        var fields = await ApiParams.ReadAsync(http.Request);
        var path = fields.GetValueOrDefault("path") is { Length: > 0 } given ? given
            : fields.GetValueOrDefault("name") is { Length: > 0 } name ? ProjectPaths.FromName(name)
            : null;
        if (path is null)
        {
            return ApiJson.BadRequest("name is missing, path is missing");
        }

        if (!ProjectPaths.IsValid(path))
        {
            return ApiJson.Invalid("path", ProjectPaths.Rules);
        }

        var visibility = fields.GetValueOrDefault("visibility") ?? "private";
        if (visibility is not ("public" or "private"))
        {
            return ApiJson.BadRequest("visibility does not have a valid value");
        }

        var branch = fields.GetValueOrDefault("default_branch") is { Length: > 0 } b ? b : "main";
        var project = await projectStore.CreateProjectAsync(caller.User!.Username + "/" + path, branch, visibility, time.GetUtcNow(), CancellationToken.None);
        if (project is null)
        {
            return ApiJson.Invalid("path", "has already been taken");
        }

        await auditLog.RecordAsync(http, AuditActor.Of(caller.User), "project_created", "Project", project.Id, project.Path, "visibility " + visibility);
        return ApiJson.Ok(ApiViews.Project(project, cloneUrls), StatusCodes.Status201Created);
    }
}

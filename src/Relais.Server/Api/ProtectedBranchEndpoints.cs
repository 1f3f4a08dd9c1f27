using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Auth;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// Protected branches: <c>GET/POST /projects/:id/protected_branches</c>, <c>GET/DELETE …/protected_branches/:name</c>
/// (the name URL-encoded; it may be a wildcard pattern such as <c>release/*</c>). Reading needs read access, changes
/// need write access. Pipelines of protected branches receive the project's protected variables.
/// </summary>
internal sealed class ProtectedBranchEndpoints(ApiGuard guard, IProjectStore projectStore, TimeProvider time)
{
    private const string Route = "/api/v4/projects/{id}/protected_branches";

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(Route, (HttpContext http, string id) => guard.ProjectAsync(http, id, AccessLevel.Reporter, async (_, p) =>
            ApiJson.Ok((await projectStore.ListProtectedBranchesAsync(p.Id, http.RequestAborted)).Select(View).ToList())));
        app.MapGet(Route + "/{name}", (HttpContext http, string id, string name) => guard.ProjectAsync(http, id, AccessLevel.Reporter, async (_, p) =>
            await FindAsync(p, name, http.RequestAborted) is { } b ? ApiJson.Ok(View(b)) : ApiJson.NotFound("Protected Branch")));
        app.MapPost(Route, (HttpContext http, string id) => guard.ProjectAsync(http, id, AccessLevel.Maintainer, (_, p) => ProtectAsync(http, p)))
            .DisableAntiforgery();
        app.MapDelete(Route + "/{name}", (HttpContext http, string id, string name) => guard.ProjectAsync(http, id, AccessLevel.Maintainer, async (_, p) =>
            await projectStore.UnprotectBranchAsync(p.Id, Uri.UnescapeDataString(name), CancellationToken.None) ? Results.NoContent() : ApiJson.NotFound("Protected Branch")));
    }

    private async Task<ProtectedBranchRecord?> FindAsync(ProjectRecord p, string name, CancellationToken cancel)
    {
        var wanted = Uri.UnescapeDataString(name);
        return (await projectStore.ListProtectedBranchesAsync(p.Id, cancel)).FirstOrDefault(b => b.Name == wanted);
    }

    private async Task<IResult> ProtectAsync(HttpContext http, ProjectRecord project)
    {
        var f = await ApiParams.ReadAsync(http.Request);
        var name = f.GetValueOrDefault("name");
        if (string.IsNullOrWhiteSpace(name))
        {
            return ApiJson.BadRequest("name is missing");
        }

        if (!TryLevel(f, "push_access_level", out var push) || !TryLevel(f, "merge_access_level", out var merge))
        {
            return ApiJson.BadRequest("access level does not have a valid value");
        }

        var branch = new ProtectedBranchRecord
        {
            ProjectId = project.Id,
            Name = name,
            PushAccessLevel = push,
            MergeAccessLevel = merge,
            AllowForcePush = ApiParams.Bool(f, "allow_force_push") ?? false,
        };
        return await projectStore.ProtectBranchAsync(branch, time.GetUtcNow(), CancellationToken.None) is { } created
            ? ApiJson.Ok(View(created), StatusCodes.Status201Created)
            : ApiJson.Error(StatusCodes.Status409Conflict, "Protected branch '" + name + "' already exists");
    }

    /// <summary>An access level from the form: absent means maintainers (40); only 0, 30, 40 and 60 are known.</summary>
    private static bool TryLevel(IReadOnlyDictionary<string, string> fields, string key, out int level)
    {
        level = 40;
        return !fields.TryGetValue(key, out var text) || (int.TryParse(text, out level) && level is 0 or 30 or 40 or 60);
    }

    private static ProtectedBranchView View(ProtectedBranchRecord b) =>
        new(b.Id, b.Name, [Level(b.PushAccessLevel)], [Level(b.MergeAccessLevel)], b.AllowForcePush, false);

    private static AccessLevelView Level(int level) => new(level, LevelName(level));

    /// <summary>GitLab's words for an access level (also shown by the web UI's settings).</summary>
    internal static string LevelName(int level) => level switch
    {
        0 => "No one",
        30 => "Developers + Maintainers",
        60 => "Admins",
        _ => "Maintainers",
    };
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Auth;
using Relais.Server.Git;
using Relais.Server.Security;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// Protected branches in GitLab's shapes: <c>GET/POST /projects/:id/protected_branches</c>, <c>GET/PATCH/DELETE
/// …/protected_branches/:name</c> (the name URL-encoded; it may be a wildcard pattern such as <c>release/*</c>). POST
/// takes <c>push_access_level</c>, <c>merge_access_level</c>, <c>unprotect_access_level</c> (default 40),
/// <c>allow_force_push</c> and <c>allowed_to_push</c>/<c>_merge</c>/<c>_unprotect</c> (<c>user_id</c>,
/// <c>deploy_key_id</c>, <c>access_level</c>); an existing name is 409. PATCH changes those (an entry with <c>id</c> and
/// <c>_destroy</c> removes a grant). Reading needs Reporter, changes Maintainer (unprotecting also the unprotect level).
/// Pushes follow the rules (<see cref="PushRules"/>); pipelines of protected branches receive the protected variables.
/// </summary>
internal sealed class ProtectedBranchEndpoints(ApiGuard guard, AuditLog auditLog, IProjectStore projectStore, ProtectedRefViews views, TimeProvider time)
{
    private const string Route = "/api/v4/projects/{id}/protected_branches";

    private static readonly (string Name, string Action)[] Actions =
        [("push", ProtectedRefAction.Push), ("merge", ProtectedRefAction.Merge), ("unprotect", ProtectedRefAction.Unprotect)];

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(Route, (HttpContext http, string id) => guard.ProjectAsync(http, id, AccessLevel.Reporter, async (_, p) =>
        {
            var list = new List<ProtectedBranchView>();
            foreach (var b in await projectStore.ListProtectedBranchesAsync(p.Id, http.RequestAborted))
            {
                list.Add(await views.BranchAsync(b, http.RequestAborted));
            }

            return ApiJson.Ok(list);
        }));
        app.MapGet(Route + "/{name}", (HttpContext http, string id, string name) => guard.ProjectAsync(http, id, AccessLevel.Reporter, async (_, p) =>
            await FindAsync(p, name, http.RequestAborted) is { } b ? ApiJson.Ok(await views.BranchAsync(b, http.RequestAborted)) : ApiJson.NotFound("Protected Branch")));
        app.MapPost(Route, (HttpContext http, string id) => guard.ProjectAsync(http, id, AccessLevel.Maintainer, (c, p) => ProtectAsync(http, c, p)))
            .DisableAntiforgery();
        app.MapPatch(Route + "/{name}", (HttpContext http, string id, string name) => guard.ProjectAsync(http, id, AccessLevel.Maintainer, (c, p) => UpdateAsync(http, c, p, name)))
            .DisableAntiforgery();
        app.MapDelete(Route + "/{name}", (HttpContext http, string id, string name) => guard.ProjectAsync(http, id, AccessLevel.Maintainer, (c, p) => UnprotectAsync(http, c, p, name)));
    }

    private async Task<ProtectedBranchRecord?> FindAsync(ProjectRecord p, string name, CancellationToken cancel)
    {
        var wanted = Uri.UnescapeDataString(name);
        return (await projectStore.ListProtectedBranchesAsync(p.Id, cancel)).FirstOrDefault(b => b.Name == wanted);
    }

    private async Task<IResult> ProtectAsync(HttpContext http, ApiCaller caller, ProjectRecord project)
    {
        var f = await ApiParams.ReadAsync(http.Request);
        var name = f.GetValueOrDefault("name");
        if (string.IsNullOrWhiteSpace(name))
        {
            return ApiJson.BadRequest("name is missing");
        }

        if (Read(f, new ProtectedBranchRecord { ProjectId = project.Id, Name = name }) is not { } branch)
        {
            return ApiJson.BadRequest("access level does not have a valid value");
        }

        if (await views.InvalidGrantAsync(project.Id, branch.Grants, CancellationToken.None) is { } invalid)
        {
            return ApiJson.Error(StatusCodes.Status422UnprocessableEntity, invalid);
        }

        if (await projectStore.ProtectBranchAsync(branch, time.GetUtcNow(), CancellationToken.None) is not { } created)
        {
            return ApiJson.Error(StatusCodes.Status409Conflict, "Protected branch '" + name + "' already exists");
        }

        await auditLog.RecordAsync(http, AuditActor.Of(caller.User), "protected_branch_created", "Project", project.Id, project.Path, name);
        return ApiJson.Ok(await views.BranchAsync(created, CancellationToken.None), StatusCodes.Status201Created);
    }

    private async Task<IResult> UpdateAsync(HttpContext http, ApiCaller caller, ProjectRecord project, string name)
    {
        if (await FindAsync(project, name, http.RequestAborted) is not { } existing)
        {
            return ApiJson.NotFound("Protected Branch");
        }

        var f = await ApiParams.ReadAsync(http.Request);
        if (Read(f, existing) is not { } branch)
        {
            return ApiJson.BadRequest("access level does not have a valid value");
        }

        if (await views.InvalidGrantAsync(project.Id, branch.Grants.Where(g => g.Id == 0), CancellationToken.None) is { } invalid)
        {
            return ApiJson.Error(StatusCodes.Status422UnprocessableEntity, invalid);
        }

        await projectStore.UpdateProtectedBranchAsync(branch, CancellationToken.None);
        await auditLog.RecordAsync(http, AuditActor.Of(caller.User), "protected_branch_updated", "Project", project.Id, project.Path, existing.Name);
        return await FindAsync(project, Uri.EscapeDataString(existing.Name), CancellationToken.None) is { } saved
            ? ApiJson.Ok(await views.BranchAsync(saved, CancellationToken.None))
            : ApiJson.NotFound("Protected Branch");
    }

    private async Task<IResult> UnprotectAsync(HttpContext http, ApiCaller caller, ProjectRecord project, string name)
    {
        if (await FindAsync(project, name, http.RequestAborted) is not { } branch)
        {
            return ApiJson.NotFound("Protected Branch");
        }

        if (!PushRules.Allows(branch.UnprotectAccessLevel, branch.Grants, ProtectedRefAction.Unprotect, Pusher.Of(caller, project)))
        {
            return ApiJson.Error(StatusCodes.Status403Forbidden, "403 Forbidden");
        }

        if (!await projectStore.UnprotectBranchAsync(project.Id, branch.Name, CancellationToken.None))
        {
            return ApiJson.NotFound("Protected Branch");
        }

        await auditLog.RecordAsync(http, AuditActor.Of(caller.User), "protected_branch_deleted", "Project", project.Id, project.Path, branch.Name);
        return Results.NoContent();
    }

    /// <summary>
    /// <paramref name="current"/> with the levels, force push and grants the parameters give (absent ones stay as they
    /// are); null when a level or an <c>allowed_to_*</c> entry cannot be read.
    /// </summary>
    private static ProtectedBranchRecord? Read(IReadOnlyDictionary<string, string> f, ProtectedBranchRecord current)
    {
        var branch = current with { AllowForcePush = ApiParams.Bool(f, "allow_force_push") ?? current.AllowForcePush };
        var grants = current.Grants.ToList();
        foreach (var (name, action) in Actions)
        {
            if (!ProtectedRefInput.TryLevel(f, name + "_access_level", out var level) || ProtectedRefInput.Allowed(f, "allowed_to_" + name) is not { } allowed)
            {
                return null;
            }

            level ??= ProtectedRefInput.LevelOf(allowed);
            if (level is { } l)
            {
                branch = action switch
                {
                    ProtectedRefAction.Push => branch with { PushAccessLevel = l },
                    ProtectedRefAction.Merge => branch with { MergeAccessLevel = l },
                    _ => branch with { UnprotectAccessLevel = l },
                };
            }

            grants.RemoveAll(g => g.Action == action && allowed.Any(e => e.Destroy && e.Id == g.Id));
            grants.AddRange(ProtectedRefInput.GrantsOf(allowed, action));
        }

        return branch with { Grants = grants };
    }
}

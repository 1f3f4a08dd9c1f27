using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Auth;
using Relais.Server.Git;
using Relais.Server.Security;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// Groups in GitLab's shapes: list, get (by id or URL-encoded full path), create (any user a top-level group;
/// a subgroup needs Maintainer of the parent), change and delete (Owner; an empty group only: a group that still
/// holds projects or subgroups is refused with 400), subgroups, descendant groups and the group's projects. A
/// private group is invisible (404) to anyone without a role in it or a parent group.
/// </summary>
internal sealed class GroupEndpoints(
    ApiGuard guard, NamespaceDirectory directory, GroupCreation creation, CloneUrls cloneUrls, AuditLog auditLog, IGroupStore groupStore, IProjectStore projectStore)
{
    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v4/groups", Task<IResult> (HttpContext http) => guard.UserAsync(http, required: false, c => ListAsync(http, c, _ => true)));
        app.MapPost("/api/v4/groups", Task<IResult> (HttpContext http) => guard.UserAsync(http, required: true, c => CreateAsync(http, c))).DisableAntiforgery();
        app.MapGet("/api/v4/groups/{id}", (HttpContext http, string id) =>
            GroupAsync(http, id, async (_, g) => ApiJson.Ok(directory.View(g, await groupStore.ListGroupsAsync(http.RequestAborted)))));
        app.MapPut("/api/v4/groups/{id}", (HttpContext http, string id) => GroupAsync(http, id, (c, g) => UpdateAsync(http, c, g))).DisableAntiforgery();
        app.MapDelete("/api/v4/groups/{id}", (HttpContext http, string id) => GroupAsync(http, id, (c, g) => DeleteAsync(http, c, g)));
        app.MapGet("/api/v4/groups/{id}/subgroups", (HttpContext http, string id) =>
            GroupAsync(http, id, (c, g) => ListAsync(http, c, x => x.ParentId == g.Id)));
        app.MapGet("/api/v4/groups/{id}/descendant_groups", (HttpContext http, string id) =>
            GroupAsync(http, id, (c, g) => ListAsync(http, c, x => x.FullPath.StartsWith(g.FullPath + "/", StringComparison.Ordinal))));
        app.MapGet("/api/v4/groups/{id}/projects", (HttpContext http, string id) => GroupAsync(http, id, (c, g) => ProjectsAsync(http, c, g)));
    }

    /// <summary>Finds the group and runs <paramref name="handler"/> when the caller may see it (else 404); changes need a token.</summary>
    public Task<IResult> GroupAsync(HttpContext http, string id, Func<ApiCaller, GroupRecord, Task<IResult>> handler) =>
        guard.UserAsync(http, required: !HttpMethods.IsGet(http.Request.Method), async caller =>
            await directory.FindGroupAsync(id, http.RequestAborted) is { } group && caller.CanSee(group)
                ? await handler(caller, group)
                : ApiJson.NotFound("Group"));

    private async Task<IResult> ListAsync(HttpContext http, ApiCaller caller, Func<GroupRecord, bool> which)
    {
        var query = http.Request.Query;
        var search = query["search"].ToString();
        var topLevelOnly = ApiParams.Bool(query.ToDictionary(q => q.Key, q => q.Value.ToString()), "top_level_only") == true;
        var owned = ApiParams.Bool(query.ToDictionary(q => q.Key, q => q.Value.ToString()), "owned") == true;
        var minLevel = int.TryParse(query["min_access_level"], out var m) ? (AccessLevel)m : AccessLevel.NoAccess;
        var all = await groupStore.ListGroupsAsync(http.RequestAborted);
        var visible = all
            .Where(g => which(g) && caller.CanSee(g))
            .Where(g => !topLevelOnly || g.ParentId is null)
            .Where(g => search.Length == 0 || g.FullPath.Contains(search, StringComparison.OrdinalIgnoreCase) || g.Name.Contains(search, StringComparison.OrdinalIgnoreCase))
            .Where(g => !owned || caller.LevelInNamespace(g.FullPath) >= AccessLevel.Owner)
            .Where(g => minLevel == AccessLevel.NoAccess || caller.LevelInNamespace(g.FullPath) >= minLevel)
            .ToList();
        var paging = Paging.From(http.Request);
        paging.WriteHeaders(http.Response, visible.Count);
        return ApiJson.Ok(visible.Skip(paging.Offset).Take(paging.PerPage).Select(g => directory.View(g, all)).ToList());
    }

    private async Task<IResult> CreateAsync(HttpContext http, ApiCaller caller)
    {
        var f = await ApiParams.ReadAsync(http.Request);
        var (group, refusal) = await creation.CreateAsync(http, caller, new NewGroup(
            f.GetValueOrDefault("name") ?? "", f.GetValueOrDefault("path") ?? "", f.GetValueOrDefault("visibility") ?? "private",
            f.GetValueOrDefault("description") ?? "", f.GetValueOrDefault("parent_id")));
        return refusal switch
        {
            null => ApiJson.Ok(directory.View(group!, await groupStore.ListGroupsAsync(http.RequestAborted)), StatusCodes.Status201Created),
            { Field: { } field } => ApiJson.Invalid(field, refusal.Problem),
            { Status: StatusCodes.Status400BadRequest } => ApiJson.BadRequest(refusal.Problem),
            _ => ApiJson.Error(refusal.Status, refusal.Problem),
        };
    }

    private async Task<IResult> UpdateAsync(HttpContext http, ApiCaller caller, GroupRecord group)
    {
        if (!NamespaceRules.MayAdminister(caller, group))
        {
            return ApiJson.Error(StatusCodes.Status403Forbidden, "403 Forbidden");
        }

        var f = await ApiParams.ReadAsync(http.Request);
        if (f.TryGetValue("path", out var path) && path != group.Path)
        {
            return ApiJson.Invalid("path", "cannot be changed (Relais keeps a group's path for its lifetime)");
        }

        var visibility = f.GetValueOrDefault("visibility") ?? group.Visibility;
        if (visibility is not ("public" or "private"))
        {
            return ApiJson.BadRequest("visibility does not have a valid value");
        }

        var name = f.GetValueOrDefault("name") is { Length: > 0 } n ? n : group.Name;
        await groupStore.UpdateGroupAsync(group.Id, name, f.GetValueOrDefault("description") ?? group.Description, visibility, CancellationToken.None);
        await auditLog.RecordAsync(http, AuditActor.Of(caller.User), "group_updated", "Group", group.Id, group.FullPath, $"visibility {group.Visibility} -> {visibility}");
        var all = await groupStore.ListGroupsAsync(http.RequestAborted);
        return ApiJson.Ok(directory.View(all.First(g => g.Id == group.Id), all));
    }

    private async Task<IResult> DeleteAsync(HttpContext http, ApiCaller caller, GroupRecord group)
    {
        if (!NamespaceRules.MayAdminister(caller, group))
        {
            return ApiJson.Error(StatusCodes.Status403Forbidden, "403 Forbidden");
        }

        switch (await groupStore.DeleteGroupAsync(group.Id, CancellationToken.None))
        {
            case GroupDeletion.NotEmpty:
                return ApiJson.BadRequest("the group still has projects or subgroups: delete or move them first");
            case GroupDeletion.NotFound:
                return ApiJson.NotFound("Group");
            default:
                await auditLog.RecordAsync(http, AuditActor.Of(caller.User), "group_deleted", "Group", group.Id, group.FullPath);
                return ApiJson.Ok(new Dictionary<string, string> { ["message"] = "202 Accepted" }, StatusCodes.Status202Accepted);
        }
    }

    private async Task<IResult> ProjectsAsync(HttpContext http, ApiCaller caller, GroupRecord group)
    {
        var includeSubgroups = ApiParams.Bool(http.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString()), "include_subgroups") == true;
        var search = http.Request.Query["search"].ToString();
        var projects = (await projectStore.ListProjectsAsync(http.RequestAborted))
            .Where(p => p.Namespace == group.FullPath || (includeSubgroups && p.Namespace.StartsWith(group.FullPath + "/", StringComparison.Ordinal)))
            .Where(p => caller.CanSee(p) && (search.Length == 0 || p.Path.Contains(search, StringComparison.OrdinalIgnoreCase)))
            .ToList();
        var paging = Paging.From(http.Request);
        paging.WriteHeaders(http.Response, projects.Count);
        var all = await groupStore.ListGroupsAsync(http.RequestAborted);
        return ApiJson.Ok(projects.Skip(paging.Offset).Take(paging.PerPage)
            .Select(p => ApiViews.Project(p, cloneUrls, all.FirstOrDefault(g => g.FullPath == p.Namespace) is { } ns ? directory.Of(ns) : null))
            .ToList());
    }
}

using Microsoft.AspNetCore.Http;
using Relais.Server.Security;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>What a new group asks for (<c>POST /groups</c> or the new-group form).</summary>
internal sealed record NewGroup(string Name, string Path, string Visibility, string Description, string? ParentId);

/// <summary>A refused group: the HTTP status, and the field and problem (GitLab's words) or a message.</summary>
internal sealed record GroupRefusal(int Status, string? Field, string Problem);

/// <summary>
/// Creates groups for the REST API and the web form alike: the path's rules (as a project's), reserved top-level
/// names, the parent's visibility and the right to create a subgroup there (<see cref="NamespaceRules"/>), one
/// namespace space (the store refuses a taken path), the creator as Owner, and an audit record.
/// </summary>
internal sealed class GroupCreation(NamespaceDirectory directory, IGroupStore groupStore, AuditLog auditLog, TimeProvider time)
{
    public async Task<(GroupRecord? Group, GroupRefusal? Refusal)> CreateAsync(HttpContext http, ApiCaller caller, NewGroup request)
    {
        var path = request.Path.Length > 0 ? request.Path : ProjectPaths.FromName(request.Name);
        if (request.Name.Length == 0 || path.Length == 0)
        {
            return (null, new(StatusCodes.Status400BadRequest, null, "name is missing, path is missing"));
        }

        if (!ProjectPaths.IsValid(path))
        {
            return (null, new(StatusCodes.Status400BadRequest, "path", ProjectPaths.Rules));
        }

        if (request.Visibility is not ("public" or "private"))
        {
            return (null, new(StatusCodes.Status400BadRequest, null, "visibility does not have a valid value"));
        }

        GroupRecord? parent = null;
        if (request.ParentId is { Length: > 0 } parentId)
        {
            parent = await directory.FindGroupAsync(parentId, http.RequestAborted);
            if (parent is null || !caller.CanSee(parent))
            {
                return (null, new(StatusCodes.Status404NotFound, null, "404 Parent Group Not Found"));
            }

            if (!NamespaceRules.MayCreateSubgroupIn(caller, parent))
            {
                return (null, new(StatusCodes.Status403Forbidden, null, "403 Forbidden"));
            }
        }
        else if (ReservedNamespaces.Contains(path))
        {
            return (null, new(StatusCodes.Status400BadRequest, "path", path + " is a reserved name"));
        }

        var group = await groupStore.CreateGroupAsync(
            new GroupRecord
            {
                ParentId = parent?.Id,
                Path = path,
                FullPath = parent is null ? path : parent.FullPath + "/" + path,
                Name = request.Name,
                Description = request.Description,
                Visibility = request.Visibility,
            },
            caller.User!.Id,
            time.GetUtcNow(),
            CancellationToken.None);
        if (group is null)
        {
            return (null, new(StatusCodes.Status400BadRequest, "path", "has already been taken"));
        }

        await auditLog.RecordAsync(http, AuditActor.Of(caller.User), "group_created", "Group", group.Id, group.FullPath, "visibility " + request.Visibility);
        return (group, null);
    }
}

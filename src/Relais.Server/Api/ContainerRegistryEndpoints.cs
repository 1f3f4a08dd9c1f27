using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Auth;
using Relais.Server.Registry;
using Relais.Server.Security;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// GitLab's container registry API (issue #15): a project's repositories (<c>tags</c>, <c>tags_count</c>), a group's,
/// one repository by id (<c>tags</c>, <c>tags_count</c>, <c>size</c>), deleting a repository (every tag, then the
/// record; 202), a repository's tags, one tag's details and deleting one tag. Repositories are the recorded ones
/// (<see cref="IContainerRepositoryStore"/>); tags are read from the registry. Reading needs Reporter (anyone on a
/// public project), deleting a tag Developer, deleting a repository Maintainer, as GitLab's policy; project routes
/// take CI/CD job tokens. Lists are paginated with GitLab's headers. The bulk tag delete belongs to the cleanup policies.
/// </summary>
internal sealed class ContainerRegistryEndpoints(
    ApiGuard guard, GroupEndpoints groups, AuditLog auditLog, IContainerRepositoryStore repositories, IProjectStore projects, RegistryClient client, ContainerRegistryViews views)
{
    private const string Route = "/api/v4/projects/{id}/registry/repositories";

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(Route, (HttpContext http, string id) => guard.JobTokenProjectAsync(http, id, AccessLevel.Reporter, (c, p) => ListAsync(http, c, p)));
        app.MapDelete(Route + "/{repositoryId:long}", (HttpContext http, string id, long repositoryId) =>
            guard.JobTokenProjectAsync(http, id, AccessLevel.Maintainer, (c, p) => InProjectAsync(http, p, repositoryId, r => DeleteRepositoryAsync(http, c, p, r))));
        app.MapGet(Route + "/{repositoryId:long}/tags", (HttpContext http, string id, long repositoryId) =>
            guard.JobTokenProjectAsync(http, id, AccessLevel.Reporter, (_, p) => InProjectAsync(http, p, repositoryId, r => TagsAsync(http, p, r))));
        app.MapGet(Route + "/{repositoryId:long}/tags/{tag}", (HttpContext http, string id, long repositoryId, string tag) =>
            guard.JobTokenProjectAsync(http, id, AccessLevel.Reporter, (_, p) => InProjectAsync(http, p, repositoryId, r => TagAsync(http, p, r, tag))));
        app.MapDelete(Route + "/{repositoryId:long}/tags/{tag}", (HttpContext http, string id, long repositoryId, string tag) =>
            guard.JobTokenProjectAsync(http, id, AccessLevel.Developer, (c, p) => InProjectAsync(http, p, repositoryId, r => DeleteTagAsync(http, c, p, r, tag))));
        app.MapGet("/api/v4/groups/{id}/registry/repositories", (HttpContext http, string id) => groups.GroupAsync(http, id, (c, g) => GroupListAsync(http, c, g)));
        app.MapGet("/api/v4/registry/repositories/{repositoryId:long}", (HttpContext http, long repositoryId) =>
            guard.UserAsync(http, required: true, c => RepositoryAsync(http, c, repositoryId)));
    }

    /// <summary>GitLab's answer for a repository id that is not the project's (or does not exist).</summary>
    public static IResult RepositoryNotFound() => ApiJson.Error(StatusCodes.Status404NotFound, "404 Not found");

    private async Task<IResult> InProjectAsync(HttpContext http, ProjectRecord project, long repositoryId, Func<ContainerRepositoryRecord, Task<IResult>> handler)
    {
        if (await repositories.GetAsync(repositoryId, http.RequestAborted) is not { } repository || repository.ProjectId != project.Id)
        {
            return RepositoryNotFound();
        }

        try
        {
            return await handler(repository);
        }
        catch (Exception e) when (e is RegistryException or HttpRequestException)
        {
            return Unavailable(e);
        }
    }

    private async Task<IResult> ListAsync(HttpContext http, ApiCaller caller, ProjectRecord project)
    {
        var list = await repositories.ListAsync(project.Id, http.RequestAborted);
        var paging = Paging.From(http.Request);
        paging.WriteHeaders(http.Response, list.Count);
        var fields = RequestedFields(http.Request);
        var canDelete = caller.Has(project, AccessLevel.Maintainer);
        try
        {
            var page = new List<Dictionary<string, object?>>();
            foreach (var repository in list.Skip(paging.Offset).Take(paging.PerPage))
            {
                page.Add(await ViewAsync(repository, project, canDelete, fields, http.RequestAborted));
            }

            return ApiJson.Ok(page);
        }
        catch (Exception e) when (e is RegistryException or HttpRequestException)
        {
            return Unavailable(e);
        }
    }

    /// <summary>Every repository of the group's and its subgroups' projects that the caller may read (GitLab gives no tags here).</summary>
    private async Task<IResult> GroupListAsync(HttpContext http, ApiCaller caller, GroupRecord group)
    {
        if (group.Visibility != "public" && caller.LevelInNamespace(group.FullPath) < AccessLevel.Reporter)
        {
            return ApiJson.Error(StatusCodes.Status403Forbidden, "403 Forbidden");
        }

        var readable = (await projects.ListProjectsAsync(http.RequestAborted))
            .Where(p => (p.Namespace == group.FullPath || p.Namespace.StartsWith(group.FullPath + "/", StringComparison.Ordinal)) && caller.CanRead(p))
            .OrderBy(p => p.Id);
        var all = new List<(ContainerRepositoryRecord Repository, ProjectRecord Project)>();
        foreach (var project in readable)
        {
            all.AddRange((await repositories.ListAsync(project.Id, http.RequestAborted)).Select(r => (r, project)));
        }

        var paging = Paging.From(http.Request);
        paging.WriteHeaders(http.Response, all.Count);
        return ApiJson.Ok(all.Skip(paging.Offset).Take(paging.PerPage).Select(x => views.Repository(x.Repository, x.Project, caller.Has(x.Project, AccessLevel.Maintainer))).ToList());
    }

    /// <summary><c>GET /registry/repositories/:id</c>: 404 when it does not exist or its project is hidden from the caller, 403 below Reporter.</summary>
    private async Task<IResult> RepositoryAsync(HttpContext http, ApiCaller caller, long repositoryId)
    {
        if (await repositories.GetAsync(repositoryId, http.RequestAborted) is not { } repository
            || await projects.GetProjectAsync(repository.ProjectId, http.RequestAborted) is not { } project
            || !caller.CanSee(project))
        {
            return RepositoryNotFound();
        }

        if (!caller.CanRead(project))
        {
            return ApiJson.Error(StatusCodes.Status403Forbidden, "403 Forbidden");
        }

        var fields = RequestedFields(http.Request) with { Size = ApiParams.Bool(QueryFields(http.Request), "size") == true };
        try
        {
            return ApiJson.Ok(await ViewAsync(repository, project, caller.Has(project, AccessLevel.Maintainer), fields, http.RequestAborted));
        }
        catch (Exception e) when (e is RegistryException or HttpRequestException)
        {
            return Unavailable(e);
        }
    }

    private async Task<IResult> TagsAsync(HttpContext http, ProjectRecord project, ContainerRepositoryRecord repository)
    {
        var path = repository.PathIn(project.Path);
        var tags = await client.ListTagsAsync(path, http.RequestAborted);
        var paging = Paging.From(http.Request);
        paging.WriteHeaders(http.Response, tags.Count);
        return ApiJson.Ok(tags.Skip(paging.Offset).Take(paging.PerPage).Select(t => views.Tag(path, t)).ToList());
    }

    private async Task<IResult> TagAsync(HttpContext http, ProjectRecord project, ContainerRepositoryRecord repository, string tag)
    {
        var path = repository.PathIn(project.Path);
        var name = Uri.UnescapeDataString(tag);
        return await client.GetTagAsync(path, name, http.RequestAborted) is { } details ? ApiJson.Ok(views.TagDetails(path, details)) : ApiJson.NotFound("Tag");
    }

    private async Task<IResult> DeleteTagAsync(HttpContext http, ApiCaller caller, ProjectRecord project, ContainerRepositoryRecord repository, string tag)
    {
        var path = repository.PathIn(project.Path);
        var name = Uri.UnescapeDataString(tag);
        if (!(await client.ListTagsAsync(path, http.RequestAborted)).Contains(name, StringComparer.Ordinal))
        {
            return ApiJson.NotFound("Tag");
        }

        await client.DeleteTagsAsync(path, [name], CancellationToken.None);
        await auditLog.RecordAsync(http, ReleaseEndpoints.Actor(caller), "container_tag_deleted", "Project", project.Id, project.Path, path + ":" + name);
        return Results.Ok();
    }

    private async Task<IResult> DeleteRepositoryAsync(HttpContext http, ApiCaller caller, ProjectRecord project, ContainerRepositoryRecord repository)
    {
        var path = repository.PathIn(project.Path);
        await client.DeleteTagsAsync(path, await client.ListTagsAsync(path, http.RequestAborted), CancellationToken.None);
        await repositories.DeleteAsync(repository.Id, CancellationToken.None);
        await auditLog.RecordAsync(http, ReleaseEndpoints.Actor(caller), "container_repository_deleted", "Project", project.Id, project.Path, path);
        return Results.StatusCode(StatusCodes.Status202Accepted);
    }

    private async Task<Dictionary<string, object?>> ViewAsync(ContainerRepositoryRecord repository, ProjectRecord project, bool canDelete, RepositoryFields fields, CancellationToken cancel)
    {
        var extras = new Dictionary<string, object?>(StringComparer.Ordinal);
        var path = repository.PathIn(project.Path);
        if (fields.Tags || fields.Count)
        {
            var tags = await client.ListTagsAsync(path, cancel);
            if (fields.Count)
            {
                extras["tags_count"] = tags.Count;
            }

            if (fields.Tags)
            {
                extras["tags"] = tags.Select(t => views.Tag(path, t)).ToList();
            }
        }

        if (fields.Size)
        {
            extras["size"] = await SizeAsync(path, cancel);
        }

        return views.Repository(repository, project, canDelete, extras);
    }

    /// <summary>The repository's size: each distinct image (by manifest digest) counted once, its config and layers summed.</summary>
    private async Task<long> SizeAsync(string path, CancellationToken cancel)
    {
        var images = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var tag in await client.ListTagsAsync(path, cancel))
        {
            if (await client.GetTagAsync(path, tag, cancel) is { } details)
            {
                images[details.Digest] = details.TotalSize;
            }
        }

        return images.Values.Sum();
    }

    private static RepositoryFields RequestedFields(HttpRequest request)
    {
        var query = QueryFields(request);
        return new RepositoryFields(ApiParams.Bool(query, "tags") == true, ApiParams.Bool(query, "tags_count") == true, false);
    }

    private static Dictionary<string, string> QueryFields(HttpRequest request) =>
        request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);

    private static IResult Unavailable(Exception e) =>
        ApiJson.Error(StatusCodes.Status503ServiceUnavailable, "503 Service Unavailable - " + (e is RegistryException ? e.Message : "the registry cannot be reached"));

    /// <summary>The optional fields of a repository GitLab writes when asked (<c>tags</c>, <c>tags_count</c>, <c>size</c>).</summary>
    private readonly record struct RepositoryFields(bool Tags, bool Count, bool Size);
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Git;
using Relais.Server.Auth;
using Relais.Server.Git;
using Relais.Server.Pipelines;
using Relais.Server.Security;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// Tags of a project's repository: <c>GET /projects/:id/repository/tags</c> (<c>search</c>, paginated, newest name
/// last as git sorts), <c>GET …/tags/:tag</c>, <c>POST …/tags</c> (<c>tag_name</c>, <c>ref</c>, and <c>message</c> for
/// an annotated tag signed by the caller; runs the push pipeline a new tag gets) and <c>DELETE …/tags/:tag</c>.
/// Reading needs read access, changes write access and the protected tags' rules (<see cref="PushRules"/>: a protected
/// tag is created by its create level, deleted by Maintainer; only Maintainer deletes any tag). A tag reports <c>protected</c>.
/// </summary>
internal sealed class TagEndpoints(ApiGuard guard, AuditLog auditLog, ProjectRepository repository, IProjectStore projectStore, TagCreator tags)
{
    private const string Route = "/api/v4/projects/{id}/repository/tags";

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(Route, (HttpContext http, string id) => guard.ProjectAsync(http, id, AccessLevel.Reporter, (_, p) => ListAsync(http, p)));
        app.MapGet(Route + "/{**tag}", (HttpContext http, string id, string tag) => guard.ProjectAsync(http, id, AccessLevel.Reporter, async (_, p) =>
            await OneAsync(p, ProjectRepository.RouteName(tag), http.RequestAborted) is { } view ? ApiJson.Ok(view) : ApiJson.NotFound("Tag")));
        app.MapPost(Route, (HttpContext http, string id) => guard.ProjectAsync(http, id, AccessLevel.Developer, (c, p) => CreateAsync(http, c, p)))
            .DisableAntiforgery();
        app.MapDelete(Route + "/{**tag}", (HttpContext http, string id, string tag) => guard.ProjectAsync(http, id, AccessLevel.Developer, (c, p) =>
            DeleteAsync(http, c, p, ProjectRepository.RouteName(tag))));
    }

    private async Task<IResult> ListAsync(HttpContext http, ProjectRecord project)
    {
        var paging = Paging.From(http.Request);
        var git = repository.Open(project);
        var search = http.Request.Query["search"].ToString();
        var tags = git is null ? [] : (await git.ListAsync(RepositoryRefs.Tags, http.RequestAborted)).Where(t => BranchEndpoints.Matches(search, t.Name)).ToList();
        paging.WriteHeaders(http.Response, tags.Count);
        var page = tags.Skip(paging.Offset).Take(paging.PerPage).ToList();
        return ApiJson.Ok(git is null ? [] : await ViewsAsync(project, git, page, http.RequestAborted));
    }

    private async Task<TagView?> OneAsync(ProjectRecord project, string name, CancellationToken cancel)
    {
        var git = repository.Open(project);
        var tag = git is null ? null : (await git.ListAsync(RepositoryRefs.Tags, cancel)).FirstOrDefault(t => t.Name == name);
        return tag is null ? null : (await ViewsAsync(project, git!, [tag], cancel))[0];
    }

    private async Task<IResult> CreateAsync(HttpContext http, ApiCaller caller, ProjectRecord project)
    {
        var fields = await ApiParams.ReadAsync(http.Request);
        if (fields.GetValueOrDefault("tag_name") is not { Length: > 0 } name)
        {
            return ApiJson.BadRequest("tag_name is missing");
        }

        if (fields.GetValueOrDefault("ref") is not { Length: > 0 } from)
        {
            return ApiJson.BadRequest("ref is missing");
        }

        var (_, refused) = await tags.CreateAsync(http, caller, project, name, from, fields.GetValueOrDefault("message"));
        if (refused is not null)
        {
            return refused;
        }

        return await OneAsync(project, name, CancellationToken.None) is { } view ? ApiJson.Ok(view, StatusCodes.Status201Created) : ApiJson.NotFound("Tag");
    }

    private async Task<IResult> DeleteAsync(HttpContext http, ApiCaller caller, ProjectRecord project, string name)
    {
        var git = repository.Open(project);
        var tag = git is null ? null : (await git.ListAsync(RepositoryRefs.Tags, http.RequestAborted)).FirstOrDefault(t => t.Name == name);
        if (tag is null)
        {
            return ApiJson.NotFound("Tag");
        }

        if (await RefusalAsync(caller, project, new RefChange(name, true, RefChangeKind.Delete)) is { } refused)
        {
            return refused;
        }

        if (!await git!.DeleteRefAsync(RepositoryRefs.Tags + name, tag.ObjectId, CancellationToken.None))
        {
            return ApiJson.Error(StatusCodes.Status400BadRequest, "Failed to remove tag");
        }

        await auditLog.RecordAsync(http, AuditActor.Of(caller.User), "tag_deleted", "Project", project.Id, project.Path, name + " was " + tag.ObjectId);
        return Results.NoContent();
    }

    private async Task<List<TagView>> ViewsAsync(ProjectRecord project, GitRepository git, IReadOnlyList<GitRef> tags, CancellationToken cancel)
    {
        var commits = await repository.CommitsAsync(project, git, tags.Select(t => t.CommitSha), cancel);
        var rules = await projectStore.ListProtectedTagsAsync(project.Id, cancel);
        return tags.Select(t => new TagView(
            t.Name,
            t.TagMessage,
            t.ObjectId,
            t.CommitSha is { } sha ? commits.GetValueOrDefault(sha) : null,
            null,
            ProtectedRefs.IsProtected([], rules, t.Name, isTag: true),
            ApiJson.Time(t.TaggedAt))).ToList();
    }

    /// <summary>403 with GitLab's message when the protected tags' rules refuse <paramref name="change"/> to the caller; else null.</summary>
    private async Task<IResult?> RefusalAsync(ApiCaller caller, ProjectRecord project, RefChange change) =>
        PushRules.Check(await ProtectedRefSet.LoadAsync(projectStore, project, CancellationToken.None), Pusher.Of(caller, project), change, viaWeb: true) is { } refused
            ? ApiJson.Error(StatusCodes.Status403Forbidden, refused)
            : null;
}

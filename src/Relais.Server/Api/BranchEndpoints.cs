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
/// Branches of a project's repository: <c>GET /projects/:id/repository/branches</c> (<c>search</c>, paginated),
/// <c>GET …/branches/:branch</c> (the name URL-encoded), <c>POST …/branches</c> (<c>branch</c>, <c>ref</c>; runs the
/// push pipeline a new branch gets) and <c>DELETE …/branches/:branch</c> (never the default branch). Reading needs
/// read access, changes write access and the protected branches' rules (<see cref="PushRules"/>: creating a protected
/// branch needs its push or merge level, deleting one Maintainer). A branch reports <c>protected</c>,
/// <c>developers_can_push</c>/<c>_merge</c> and whether the caller <c>can_push</c> to it.
/// </summary>
internal sealed class BranchEndpoints(ApiGuard guard, AuditLog auditLog, ProjectRepository repository, IProjectStore projectStore, PushPipelines pushes)
{
    private const string Route = "/api/v4/projects/{id}/repository/branches";

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(Route, (HttpContext http, string id) => guard.ProjectAsync(http, id, AccessLevel.Reporter, (c, p) => ListAsync(http, c, p)));
        app.MapGet(Route + "/{**branch}", (HttpContext http, string id, string branch) => guard.ProjectAsync(http, id, AccessLevel.Reporter, async (c, p) =>
            await OneAsync(c, p, ProjectRepository.RouteName(branch), http.RequestAborted) is { } view ? ApiJson.Ok(view) : ApiJson.NotFound("Branch")));
        app.MapPost(Route, (HttpContext http, string id) => guard.ProjectAsync(http, id, AccessLevel.Developer, (c, p) => CreateAsync(http, c, p)))
            .DisableAntiforgery();
        app.MapDelete(Route + "/{**branch}", (HttpContext http, string id, string branch) => guard.ProjectAsync(http, id, AccessLevel.Developer, (c, p) =>
            DeleteAsync(http, c, p, ProjectRepository.RouteName(branch))));
    }

    private async Task<IResult> ListAsync(HttpContext http, ApiCaller caller, ProjectRecord project)
    {
        var paging = Paging.From(http.Request);
        var git = repository.Open(project);
        var search = http.Request.Query["search"].ToString();
        var branches = git is null ? [] : (await git.ListAsync(RepositoryRefs.Branches, http.RequestAborted)).Where(b => Matches(search, b.Name)).ToList();
        paging.WriteHeaders(http.Response, branches.Count);
        var page = branches.Skip(paging.Offset).Take(paging.PerPage).ToList();
        return ApiJson.Ok(git is null ? [] : await ViewsAsync(caller, project, git, page, http.RequestAborted));
    }

    private async Task<BranchView?> OneAsync(ApiCaller caller, ProjectRecord project, string name, CancellationToken cancel)
    {
        var git = repository.Open(project);
        var branch = git is null ? null : (await git.ListAsync(RepositoryRefs.Branches, cancel)).FirstOrDefault(b => b.Name == name);
        return branch is null ? null : (await ViewsAsync(caller, project, git!, [branch], cancel))[0];
    }

    private async Task<IResult> CreateAsync(HttpContext http, ApiCaller caller, ProjectRecord project)
    {
        var fields = await ApiParams.ReadAsync(http.Request);
        if (fields.GetValueOrDefault("branch") is not { Length: > 0 } name)
        {
            return ApiJson.BadRequest("branch is missing");
        }

        if (fields.GetValueOrDefault("ref") is not { Length: > 0 } from)
        {
            return ApiJson.BadRequest("ref is missing");
        }

        var git = repository.Open(project);
        if (git is null || !await git.IsValidRefNameAsync(RepositoryRefs.Branches, name, CancellationToken.None))
        {
            return ApiJson.Error(StatusCodes.Status400BadRequest, git is null ? "Invalid reference name: " + from : "Branch name is invalid");
        }

        if (await git.ResolveCommitAsync(from, CancellationToken.None) is not { } sha)
        {
            return ApiJson.Error(StatusCodes.Status400BadRequest, "Invalid reference name: " + from);
        }

        if (await RefusalAsync(caller, project, new RefChange(name, false, RefChangeKind.Create)) is { } refused)
        {
            return refused;
        }

        if (!await git.CreateRefAsync(RepositoryRefs.Branches + name, sha, CancellationToken.None))
        {
            return ApiJson.Error(StatusCodes.Status400BadRequest, "Branch already exists");
        }

        await auditLog.RecordAsync(http, AuditActor.Of(caller.User), "branch_created", "Project", project.Id, project.Path, name + " at " + sha);
        await pushes.HandleAsync(project.Path, repository.PathOf(project), [new RefUpdate(GitRepositories.ZeroSha, sha, RepositoryRefs.Branches + name)], caller.User, CancellationToken.None);
        return await OneAsync(caller, project, name, CancellationToken.None) is { } view
            ? ApiJson.Ok(view, StatusCodes.Status201Created)
            : ApiJson.NotFound("Branch");
    }

    private async Task<IResult> DeleteAsync(HttpContext http, ApiCaller caller, ProjectRecord project, string name)
    {
        var git = repository.Open(project);
        var branch = git is null ? null : (await git.ListAsync(RepositoryRefs.Branches, http.RequestAborted)).FirstOrDefault(b => b.Name == name);
        if (branch is null)
        {
            return ApiJson.NotFound("Branch");
        }

        if (name == project.DefaultBranch)
        {
            return ApiJson.Error(StatusCodes.Status405MethodNotAllowed, "The default branch of a project cannot be deleted.");
        }

        if (await RefusalAsync(caller, project, new RefChange(name, false, RefChangeKind.Delete)) is { } refused)
        {
            return refused;
        }

        if (!await git!.DeleteRefAsync(RepositoryRefs.Branches + name, branch.ObjectId, CancellationToken.None))
        {
            return ApiJson.Error(StatusCodes.Status400BadRequest, "Failed to remove branch");
        }

        await auditLog.RecordAsync(http, AuditActor.Of(caller.User), "branch_deleted", "Project", project.Id, project.Path, name + " was " + branch.ObjectId);
        // As a push deleting it would: push event, environments of the branch stopped.
        await pushes.HandleAsync(project.Path, repository.PathOf(project), [new RefUpdate(branch.ObjectId, GitRepositories.ZeroSha, RepositoryRefs.Branches + name)], caller.User, CancellationToken.None);
        return Results.NoContent();
    }

    private async Task<List<BranchView>> ViewsAsync(ApiCaller caller, ProjectRecord project, GitRepository git, IReadOnlyList<GitRef> branches, CancellationToken cancel)
    {
        var commits = await repository.CommitsAsync(project, git, branches.Select(b => b.CommitSha), cancel);
        var merged = (await git.ListAsync(RepositoryRefs.Branches, cancel, mergedInto: RepositoryRefs.Branches + project.DefaultBranch))
            .Select(b => b.Name).ToHashSet(StringComparer.Ordinal);
        var refs = await ProtectedRefSet.LoadAsync(projectStore, project, cancel);
        var pusher = Pusher.Of(caller, project);
        return branches.Select(b =>
        {
            var matching = refs.BranchRulesFor(b.Name);
            return new BranchView(
                b.Name,
                b.CommitSha is { } sha ? commits.GetValueOrDefault(sha) : null,
                b.Name != project.DefaultBranch && merged.Contains(b.Name),
                matching.Count > 0,
                matching.Any(r => r.PushAccessLevel == (int)AccessLevel.Developer),
                matching.Any(r => r.MergeAccessLevel == (int)AccessLevel.Developer),
                caller.CanWrite(project) && PushRules.CanPush(refs, pusher, b.Name),
                b.Name == project.DefaultBranch,
                repository.WebUrl(project, "tree/" + b.Name));
        }).ToList();
    }

    /// <summary>403 with GitLab's message when the protected branches' rules refuse <paramref name="change"/> to the caller; else null.</summary>
    private async Task<IResult?> RefusalAsync(ApiCaller caller, ProjectRecord project, RefChange change) =>
        PushRules.Check(await ProtectedRefSet.LoadAsync(projectStore, project, CancellationToken.None), Pusher.Of(caller, project), change, viaWeb: true) is { } refused
            ? ApiJson.Error(StatusCodes.Status403Forbidden, refused)
            : null;

    /// <summary>GitLab's branch search: <c>^abc</c> starts with, <c>abc$</c> ends with, otherwise contains (ignoring case).</summary>
    internal static bool Matches(string search, string name)
    {
        if (search.Length == 0)
        {
            return true;
        }

        var (start, end) = (search.StartsWith('^'), search.EndsWith('$'));
        var core = search[(start ? 1 : 0)..(end ? search.Length - 1 : search.Length)];
        return start && end ? name.Equals(core, StringComparison.OrdinalIgnoreCase)
            : start ? name.StartsWith(core, StringComparison.OrdinalIgnoreCase)
            : end ? name.EndsWith(core, StringComparison.OrdinalIgnoreCase)
            : name.Contains(core, StringComparison.OrdinalIgnoreCase);
    }
}

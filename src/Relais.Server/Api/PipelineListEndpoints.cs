using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Git;
using Relais.Server.Auth;
using Relais.Server.Pipelines;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// <c>GET /projects/:id/pipelines</c> with GitLab's filters and order (<see cref="PipelineListInput"/>; filtered, counted
/// and ordered in SQL so <c>X-Total</c> and the <c>Link</c> pages hold), and <c>GET /projects/:id/pipelines/latest</c>:
/// the newest pipeline of a ref's head commit (the default branch without <c>ref</c>), 403 when there is none, as GitLab.
/// </summary>
internal sealed class PipelineListEndpoints(string externalUrl, ApiGuard guard, IPipelineStore pipelineStore, IIdentityStore identityStore, ProjectRepository repository, PipelineUsers users)
{
    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v4/projects/{id}/pipelines", (HttpContext http, string id) =>
            guard.ProjectAsync(http, id, AccessLevel.Reporter, (_, p) => ListAsync(http, p)));
        app.MapGet("/api/v4/projects/{id}/pipelines/latest", (HttpContext http, string id) =>
            guard.ProjectAsync(http, id, AccessLevel.Reporter, (_, p) => LatestAsync(http, p)));
    }

    private async Task<IResult> ListAsync(HttpContext http, ProjectRecord project)
    {
        var cancel = http.RequestAborted;
        var paging = Paging.From(http.Request);
        var (filter, invalid) = await PipelineListInput.ReadAsync(http.Request.Query, paging, prefix => RefNamesAsync(project, prefix, cancel), username => UserIdAsync(username, cancel));
        if (invalid is not null)
        {
            return invalid;
        }

        var page = await pipelineStore.FindPipelinesAsync(project.Id, filter!, cancel);
        paging.WriteHeaders(http.Response, page.Total);
        return ApiJson.Ok(page.Items.Select(p => ApiViews.Pipeline(p, project, externalUrl)).ToList());
    }

    private async Task<IResult> LatestAsync(HttpContext http, ProjectRecord project)
    {
        var cancel = http.RequestAborted;
        var gitRef = http.Request.Query["ref"].ToString() is { Length: > 0 } r ? r : project.DefaultBranch;
        // GitLab: the newest pipeline of the ref's current commit; a project without a repository (a stored
        // configuration) has no commit to look at, so there the newest pipeline of the ref.
        var head = await HeadAsync(project, gitRef, cancel);
        var newest = (await pipelineStore.FindPipelinesAsync(project.Id, new PipelineFilter(0, 1) { Ref = gitRef, Sha = head, IncludeChildren = true }, cancel)).Items;
        if (newest is not [var row] || await pipelineStore.GetPipelineStateAsync(row.Id, cancel) is not { } snapshot)
        {
            return ApiJson.Error(StatusCodes.Status403Forbidden, "403 Forbidden"); // GitLab's answer when the ref has no pipeline
        }

        return ApiJson.Ok(await new PipelineDetails(users, externalUrl).OfAsync(snapshot, project, cancel));
    }

    /// <summary>The commit a branch (or else a tag) of that name points at; "" for no such ref; null without a repository (or branches) to look in.</summary>
    private async Task<string?> HeadAsync(ProjectRecord project, string gitRef, CancellationToken cancel)
    {
        if (repository.Open(project) is not { } git)
        {
            return null;
        }

        var branches = await git.ListAsync(RepositoryRefs.Branches, cancel);
        var found = branches.FirstOrDefault(r => r.Name == gitRef) ?? (await git.ListAsync(RepositoryRefs.Tags, cancel)).FirstOrDefault(r => r.Name == gitRef);
        return found?.CommitSha ?? (branches.Count == 0 ? null : ""); // an empty repository is a stored configuration's; "" matches no pipeline
    }

    private async Task<IReadOnlyList<string>> RefNamesAsync(ProjectRecord project, string prefix, CancellationToken cancel) =>
        repository.Open(project) is { } git ? [.. (await git.ListAsync(prefix, cancel)).Select(r => r.Name)] : [];

    private async Task<long?> UserIdAsync(string username, CancellationToken cancel) =>
        (await identityStore.ListUsersAsync(new UserFilter(Username: username), cancel)).FirstOrDefault(u => string.Equals(u.Username, username, StringComparison.OrdinalIgnoreCase))?.Id;
}

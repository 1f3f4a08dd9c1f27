using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Git;
using Relais.Server.Auth;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// Commits of a project's repository: <c>GET /projects/:id/repository/commits</c> (<c>ref_name</c>, default the
/// default branch; <c>since</c>, <c>until</c>, <c>path</c>; paginated), <c>GET …/commits/:sha</c> (with
/// <c>stats</c>, <c>status</c> and <c>last_pipeline</c>: <see cref="CommitDetailBuilder"/>) and <c>GET …/commits/:sha/diff</c> (against the first parent; paginated). Read access only.
/// </summary>
internal sealed class CommitEndpoints(ApiGuard guard, ProjectRepository repository, CommitDetailBuilder details)
{
    private const string Route = "/api/v4/projects/{id}/repository/commits";

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(Route, (HttpContext http, string id) => guard.ProjectAsync(http, id, AccessLevel.Reporter, (_, p) => ListAsync(http, p)));
        app.MapGet(Route + "/{sha}", (HttpContext http, string id, string sha) => guard.ProjectAsync(http, id, AccessLevel.Reporter, (_, p) =>
            OneAsync(p, ProjectRepository.RouteName(sha), http.RequestAborted)));
        app.MapGet(Route + "/{sha}/diff", (HttpContext http, string id, string sha) => guard.ProjectAsync(http, id, AccessLevel.Reporter, (_, p) =>
            DiffAsync(http, p, ProjectRepository.RouteName(sha))));
    }

    private async Task<IResult> ListAsync(HttpContext http, ProjectRecord project)
    {
        var query = http.Request.Query;
        if (!TryDate(query["since"], out var since) || !TryDate(query["until"], out var until))
        {
            return ApiJson.BadRequest("since or until is invalid");
        }

        var git = repository.Open(project);
        var revision = query["ref_name"].ToString() is { Length: > 0 } given ? given : project.DefaultBranch;
        var range = revision.Contains("..", StringComparison.Ordinal);
        if (git is null || (!range && await git.ResolveCommitAsync(revision, http.RequestAborted) is null))
        {
            return ApiJson.NotFound("Reference");
        }

        var path = query["path"].ToString();
        var paging = Paging.From(http.Request);
        var total = await git.CountAsync(revision, http.RequestAborted, path, since, until);
        paging.WriteHeaders(http.Response, total);
        var commits = await git.LogAsync(revision, paging.Offset, paging.PerPage, http.RequestAborted, path, since, until);
        return ApiJson.Ok(commits.Select(c => repository.Commit(project, c)).ToList());
    }

    private async Task<IResult> OneAsync(ProjectRecord project, string revision, CancellationToken cancel) =>
        await details.BuildAsync(project, revision, cancel) is { } view ? ApiJson.Ok(view) : ApiJson.NotFound("Commit");

    private async Task<IResult> DiffAsync(HttpContext http, ProjectRecord project, string revision)
    {
        if (await ResolveAsync(project, revision, http.RequestAborted) is not ({ } git, { } commit))
        {
            return ApiJson.NotFound("Commit");
        }

        var diffs = await git.DiffAsync(FirstParent(commit), commit.Sha, http.RequestAborted) ?? [];
        var paging = Paging.From(http.Request);
        paging.WriteHeaders(http.Response, diffs.Count);
        return ApiJson.Ok(diffs.Skip(paging.Offset).Take(paging.PerPage).Select(View).ToList());
    }

    /// <summary>The repository and the commit <paramref name="revision"/> names (a sha, branch or tag); nulls when there is none.</summary>
    private async Task<(GitRepository? Git, CommitDetails? Commit)> ResolveAsync(ProjectRecord project, string revision, CancellationToken cancel)
    {
        var git = repository.Open(project);
        if (git is null || await git.ResolveCommitAsync(revision, cancel) is not { } sha)
        {
            return (null, null);
        }

        return (git, await git.ReadCommitsAsync([sha], cancel) is [var commit, ..] ? commit : null);
    }

    private static string? FirstParent(CommitDetails commit) => commit.ParentShas is [var first, ..] ? first : null;

    internal static DiffView View(FileDiff d) => new(
        d.Patch, d.NewPath, d.OldPath, Mode(d.OldMode), Mode(d.NewMode), d.IsNew, d.IsRenamed, d.IsDeleted, d.TooLarge);

    /// <summary>GitLab shows a missing side's mode as <c>0</c>.</summary>
    private static string Mode(string mode) => mode.TrimStart('0').Length > 0 ? mode : "0";

    private static bool TryDate(Microsoft.Extensions.Primitives.StringValues value, out DateTimeOffset? date)
    {
        date = null;
        if (value.ToString() is not { Length: > 0 } text)
        {
            return true;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return false;
        }

        date = parsed;
        return true;
    }
}

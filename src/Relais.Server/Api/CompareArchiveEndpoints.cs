using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;
using Relais.Git;
using Relais.Server.Auth;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// <c>GET /projects/:id/repository/compare?from=&amp;to=</c> (from their merge base unless <c>straight=true</c>; at
/// most <see cref="MaxCommits"/> commits) and <c>GET …/repository/archive[.format]</c> (<c>sha</c>, default the default
/// branch; <c>tar.gz</c>, <c>tgz</c>, <c>tar</c> or <c>zip</c>, streamed from <c>git archive</c>). Read access only.
/// </summary>
internal sealed class CompareArchiveEndpoints(ApiGuard guard, ProjectRepository repository)
{
    /// <summary>The most commits a compare lists (the newest ones); its diff is complete.</summary>
    public const int MaxCommits = 1000;

    private const string Route = "/api/v4/projects/{id}/repository";

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(Route + "/compare", (HttpContext http, string id) => guard.ProjectAsync(http, id, AccessLevel.Reporter, (_, p) => CompareAsync(http, p)));
        app.MapGet(Route + "/archive", (HttpContext http, string id) => guard.ProjectAsync(http, id, AccessLevel.Reporter, (_, p) => ArchiveAsync(http, p, "tar.gz")));
        app.MapGet(Route + "/archive.{format}", (HttpContext http, string id, string format) =>
            guard.ProjectAsync(http, id, AccessLevel.Reporter, (_, p) => ArchiveAsync(http, p, format)));
    }

    private async Task<IResult> CompareAsync(HttpContext http, ProjectRecord project)
    {
        var query = http.Request.Query;
        var (from, to) = (query["from"].ToString(), query["to"].ToString());
        if (from.Length == 0 || to.Length == 0)
        {
            return ApiJson.BadRequest(from.Length == 0 ? "from is missing" : "to is missing");
        }

        var git = repository.Open(project);
        var fromSha = git is null ? null : await git.ResolveCommitAsync(from, http.RequestAborted);
        var toSha = git is null ? null : await git.ResolveCommitAsync(to, http.RequestAborted);
        if (git is null || fromSha is null || toSha is null)
        {
            return ApiJson.NotFound("Ref");
        }

        var straight = ApiParams.Bool(query.ToDictionary(q => q.Key, q => q.Value.ToString()), "straight") == true;
        var start = straight ? fromSha : await git.MergeBaseAsync(fromSha, toSha, http.RequestAborted) ?? fromSha;
        var commits = (await git.LogAsync(fromSha + ".." + toSha, 0, MaxCommits, http.RequestAborted)).Reverse().Select(c => repository.Commit(project, c)).ToList();
        var diffs = start == toSha ? [] : await git.DiffAsync(start, toSha, http.RequestAborted) ?? [];
        var head = (await git.ReadCommitsAsync([toSha], http.RequestAborted)) is [var last, ..] ? repository.Commit(project, last) : null;
        return ApiJson.Ok(new CompareView(
            commits.Count == 0 ? null : head,
            commits,
            diffs.Select(CommitEndpoints.View).ToList(),
            false,
            fromSha == toSha,
            repository.WebUrl(project, "compare/" + fromSha[..8] + "..." + toSha[..8])));
    }

    private async Task<IResult> ArchiveAsync(HttpContext http, ProjectRecord project, string format)
    {
        if (format is not ("tar.gz" or "tgz" or "tar" or "zip"))
        {
            return ApiJson.NotFound("Format");
        }

        var git = repository.Open(project);
        var revision = http.Request.Query["sha"].ToString() is { Length: > 0 } given ? given : project.DefaultBranch;
        if (git is null || await git.ResolveCommitAsync(revision, http.RequestAborted) is not { } sha)
        {
            return ApiJson.NotFound("Ref");
        }

        var name = project.Path[(project.Path.LastIndexOf('/') + 1)..] + "-" + sha;
        var disposition = new ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName(name + "." + format);
        http.Response.Headers.ContentDisposition = disposition.ToString();
        var type = format == "zip" ? "application/zip" : format == "tar" ? "application/x-tar" : "application/gzip";
        return Results.Stream(body => git.CopyArchiveAsync(format, name + "/", sha, body, http.RequestAborted), type);
    }
}

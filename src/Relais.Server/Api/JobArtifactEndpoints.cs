using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Artifacts;
using Relais.Server.Auth;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// Downloading artifacts through the REST API, GET and HEAD, open to a CI/CD job token of the project or of a project
/// on its allowlist (<see cref="ApiGuard.JobTokenProjectAsync"/>): a job's archive, one file inside it, and both for
/// the job of a name in the latest successful pipeline of a ref (<see cref="RefArtifactJobs"/>). A ref may hold dots
/// and (URL-encoded, or raw for <c>download</c>) slashes.
/// </summary>
internal sealed class JobArtifactEndpoints(ApiGuard guard, IPipelineStore pipelineStore, RefArtifactJobs refJobs, ArtifactDownloads downloads)
{
    private static readonly string[] GetOrHead = [HttpMethods.Get, HttpMethods.Head];

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapMethods("/api/v4/projects/{id}/jobs/{jid:long}/artifacts", GetOrHead, (HttpContext http, string id, long jid) =>
            guard.JobTokenProjectAsync(http, id, AccessLevel.Reporter, async (_, p) => await JobEndpoints.FindAsync(pipelineStore, p, jid, http.RequestAborted) is { } job
                ? await downloads.ArchiveResultAsync(http, job.Id)
                : ApiJson.NotFound("Job")));
        app.MapMethods("/api/v4/projects/{id}/jobs/{jid:long}/artifacts/{**path}", GetOrHead, (HttpContext http, string id, long jid, string path) =>
            guard.JobTokenProjectAsync(http, id, AccessLevel.Reporter, async (_, p) => await JobEndpoints.FindAsync(pipelineStore, p, jid, http.RequestAborted) is { } job
                ? await downloads.EntryResultAsync(http, job.Id, path)
                : ApiJson.NotFound("Job")));
        app.MapMethods("/api/v4/projects/{id}/jobs/artifacts/{**rest}", GetOrHead, (HttpContext http, string id, string rest) =>
            guard.JobTokenProjectAsync(http, id, AccessLevel.Reporter, (_, p) => ByRefAsync(http, p, rest)));
    }

    /// <summary>
    /// <c>:ref_name/download</c> (the ref may hold slashes; GitLab tries this route first) or
    /// <c>:ref_name/raw/*artifact_path</c> (one segment: a slash in the ref URL-encoded).
    /// </summary>
    private async Task<IResult> ByRefAsync(HttpContext http, ProjectRecord project, string rest)
    {
        string gitRef;
        string? path = null;
        var raw = rest.IndexOf("/raw/", StringComparison.Ordinal);
        if (rest.EndsWith("/download", StringComparison.Ordinal))
        {
            gitRef = rest[..^"/download".Length];
        }
        else if (raw > 0 && !rest[..raw].Contains('/', StringComparison.Ordinal))
        {
            (gitRef, path) = (rest[..raw], rest[(raw + "/raw/".Length)..]);
        }
        else
        {
            return ApiJson.Error(StatusCodes.Status404NotFound, "404 Not Found");
        }

        if (http.Request.Query["job"].ToString() is not { Length: > 0 } jobName)
        {
            return ApiJson.Ok(new Dictionary<string, string> { ["error"] = "job is missing" }, StatusCodes.Status400BadRequest);
        }

        var searchRecent = ApiParams.Bool(http.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString()), "search_recent_successful_pipelines") == true;
        if (await refJobs.FindAsync(project, ProjectRepository.RouteName(gitRef), jobName, searchRecent, http.RequestAborted) is not { } job)
        {
            return ApiJson.Error(StatusCodes.Status404NotFound, "404 Not found"); // GitLab's text for "no such job" here
        }

        return path is null ? await downloads.ArchiveResultAsync(http, job.Id) : await downloads.EntryResultAsync(http, job.Id, path);
    }
}

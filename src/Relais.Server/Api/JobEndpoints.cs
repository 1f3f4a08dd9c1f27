using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Protocol;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// Reading jobs: per pipeline (<c>include_retried</c>, <c>scope[]</c>), per project, one job, its trace
/// (text/plain) and its archive. The actions (play, retry, cancel) are in <see cref="JobActionEndpoints"/>.
/// </summary>
internal static class JobEndpoints
{
    public static void Map(IEndpointRouteBuilder app, ServerContext s)
    {
        app.MapGet("/api/v4/projects/{id}/pipelines/{pid:long}/jobs", (HttpContext http, string id, long pid) =>
            ApiGuard.ProjectAsync(http, s, id, Access.Read, (c, p) => PipelineJobsAsync(http, s, c, p, pid)));
        app.MapGet("/api/v4/projects/{id}/jobs", (HttpContext http, string id) =>
            ApiGuard.ProjectAsync(http, s, id, Access.Read, (c, p) => ProjectJobsAsync(http, s, c, p)));
        app.MapGet("/api/v4/projects/{id}/jobs/{jid:long}", (HttpContext http, string id, long jid) =>
            ApiGuard.ProjectAsync(http, s, id, Access.Read, async (c, p) => await FindAsync(s, p, jid) is { } job
                ? ApiJson.Ok(await new JobViewBuilder(s, p, c).BuildAsync(job, await IsRetriedAsync(s, job)))
                : ApiJson.NotFound("Job")));
        app.MapGet("/api/v4/projects/{id}/jobs/{jid:long}/trace", (HttpContext http, string id, long jid) =>
            ApiGuard.ProjectAsync(http, s, id, Access.Read, async (_, p) => await FindAsync(s, p, jid) is { } job
                ? Results.Stream(body => s.Traces.CopyToAsync(job.Id, body, http.RequestAborted), "text/plain; charset=utf-8")
                : ApiJson.NotFound("Job")));
        app.MapGet("/api/v4/projects/{id}/jobs/{jid:long}/artifacts", (HttpContext http, string id, long jid) =>
            ApiGuard.ProjectAsync(http, s, id, Access.Read, (_, p) => ArchiveAsync(s, p, jid)));
    }

    /// <summary>The job if it belongs to the project.</summary>
    public static async Task<JobRecord?> FindAsync(ServerContext s, ProjectRecord project, long jobId) =>
        await s.Store.GetJobAsync(jobId) is { } job && job.ProjectId == project.Id ? job : null;

    /// <summary>Reads <c>scope</c> / <c>scope[]</c>; null when a value is not a status.</summary>
    public static IReadOnlyList<CiStatus>? ReadScopes(HttpRequest request)
    {
        var scopes = new List<CiStatus>();
        foreach (var value in request.Query["scope[]"].Concat(request.Query["scope"])
            .SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (!CiStatusNames.TryParse(value, out var scope))
            {
                return null;
            }

            scopes.Add(scope);
        }

        return scopes;
    }

    private static async Task<bool> IsRetriedAsync(ServerContext s, JobRecord job) =>
        (await s.Store.JobsOfPipelineAsync(job.PipelineId)).Any(j => j.Name == job.Name && j.Attempt > job.Attempt);

    private static async Task<IResult> PipelineJobsAsync(HttpContext http, ServerContext s, ApiCaller caller, ProjectRecord project, long pid)
    {
        if (await s.Store.GetPipelineAsync(pid, http.RequestAborted) is not { } pipeline || pipeline.ProjectId != project.Id)
        {
            return ApiJson.NotFound("Pipeline");
        }

        if (ReadScopes(http.Request) is not { } scopes)
        {
            return ApiJson.BadRequest("scope does not have a valid value");
        }

        var includeRetried = ApiParams.Bool(http.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString()), "include_retried") == true;
        var all = await s.Store.JobsOfPipelineAsync(pid, http.RequestAborted);
        var latest = all.GroupBy(j => j.Name).ToDictionary(g => g.Key, g => g.Max(j => j.Attempt), StringComparer.Ordinal);
        var wanted = all
            .Where(j => includeRetried || j.Attempt == latest[j.Name])
            .Where(j => scopes.Count == 0 || scopes.Contains(j.Status))
            .ToList();
        var paging = Paging.From(http.Request);
        paging.WriteHeaders(http.Response, wanted.Count);
        var builder = new JobViewBuilder(s, project, caller);
        var views = new List<JobView>();
        foreach (var job in wanted.Skip(paging.Offset).Take(paging.PerPage))
        {
            views.Add(await builder.BuildAsync(job, job.Attempt < latest[job.Name]));
        }

        return ApiJson.Ok(views);
    }

    private static async Task<IResult> ProjectJobsAsync(HttpContext http, ServerContext s, ApiCaller caller, ProjectRecord project)
    {
        if (ReadScopes(http.Request) is not { } scopes)
        {
            return ApiJson.BadRequest("scope does not have a valid value");
        }

        var paging = Paging.From(http.Request);
        var page = await s.Store.ListProjectJobsAsync(project.Id, new ListQuery(scopes, paging.Offset, paging.PerPage), http.RequestAborted);
        paging.WriteHeaders(http.Response, page.Total);
        var builder = new JobViewBuilder(s, project, caller);
        var views = new List<JobView>();
        foreach (var job in page.Items)
        {
            views.Add(await builder.BuildAsync(job, await IsRetriedAsync(s, job)));
        }

        return ApiJson.Ok(views);
    }

    private static async Task<IResult> ArchiveAsync(ServerContext s, ProjectRecord project, long jobId)
    {
        if (await FindAsync(s, project, jobId) is null)
        {
            return ApiJson.NotFound("Job");
        }

        return await s.Store.FindArtifactAsync(jobId, "archive") is { } archive && File.Exists(s.Blobs.FullPath(archive.BlobPath))
            ? Results.File(s.Blobs.FullPath(archive.BlobPath), "application/zip", archive.Filename)
            : ApiJson.NotFound("");
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Protocol;
using Relais.Server.Artifacts;
using Relais.Server.Auth;
using Relais.Server.Logs;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// Reading jobs: per pipeline (<c>include_retried</c>, <c>scope[]</c>), per project, one job and its trace
/// (text/plain). The actions (play, retry, cancel) are in <see cref="JobActionEndpoints"/>, artifact downloads in
/// <see cref="JobArtifactEndpoints"/>.
/// </summary>
internal sealed class JobEndpoints(ApiGuard guard, JobViews jobViews, IPipelineStore pipelineStore, TraceStore traces)
{
    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v4/projects/{id}/pipelines/{pid:long}/jobs", (HttpContext http, string id, long pid) =>
            guard.ProjectAsync(http, id, AccessLevel.Reporter, (c, p) => PipelineJobsAsync(http, c, p, pid)));
        app.MapGet("/api/v4/projects/{id}/jobs", (HttpContext http, string id) =>
            guard.ProjectAsync(http, id, AccessLevel.Reporter, (c, p) => ProjectJobsAsync(http, c, p)));
        app.MapGet("/api/v4/projects/{id}/jobs/{jid:long}", (HttpContext http, string id, long jid) =>
            guard.ProjectAsync(http, id, AccessLevel.Reporter, async (c, p) => await FindAsync(pipelineStore, p, jid, http.RequestAborted) is { } job
                ? ApiJson.Ok(await jobViews.Builder(p, c).BuildAsync(job, await IsRetriedAsync(job, http.RequestAborted), http.RequestAborted))
                : ApiJson.NotFound("Job")));
        app.MapGet("/api/v4/projects/{id}/jobs/{jid:long}/trace", (HttpContext http, string id, long jid) =>
            guard.ProjectAsync(http, id, AccessLevel.Reporter, async (_, p) => await FindAsync(pipelineStore, p, jid, http.RequestAborted) is { } job
                ? Results.Stream(body => traces.CopyToAsync(job.Id, body, http.RequestAborted), "text/plain; charset=utf-8")
                : ApiJson.NotFound("Job")));
    }

    /// <summary>The job if it belongs to the project.</summary>
    public static async Task<JobRecord?> FindAsync(IPipelineStore pipelineStore, ProjectRecord project, long jobId, CancellationToken cancel) =>
        await pipelineStore.GetJobAsync(jobId, cancel) is { } job && job.ProjectId == project.Id ? job : null;

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

    private async Task<bool> IsRetriedAsync(JobRecord job, CancellationToken cancel) =>
        (await pipelineStore.JobsOfPipelineAsync(job.PipelineId, cancel)).Any(j => j.Name == job.Name && j.Attempt > job.Attempt);

    private async Task<IResult> PipelineJobsAsync(HttpContext http, ApiCaller caller, ProjectRecord project, long pid)
    {
        if (await pipelineStore.GetPipelineAsync(pid, http.RequestAborted) is not { } pipeline || pipeline.ProjectId != project.Id)
        {
            return ApiJson.NotFound("Pipeline");
        }

        if (ReadScopes(http.Request) is not { } scopes)
        {
            return ApiJson.BadRequest("scope does not have a valid value");
        }

        var includeRetried = ApiParams.Bool(http.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString()), "include_retried") == true;
        var all = await pipelineStore.JobsOfPipelineAsync(pid, http.RequestAborted);
        var latest = all.GroupBy(j => j.Name).ToDictionary(g => g.Key, g => g.Max(j => j.Attempt), StringComparer.Ordinal);
        var wanted = all
            .Where(j => includeRetried || j.Attempt == latest[j.Name])
            .Where(j => scopes.Count == 0 || scopes.Contains(j.Status))
            .ToList();
        var paging = Paging.From(http.Request);
        paging.WriteHeaders(http.Response, wanted.Count);
        var page = wanted.Skip(paging.Offset).Take(paging.PerPage).Select(j => (j, j.Attempt < latest[j.Name])).ToList();
        return ApiJson.Ok(await jobViews.Builder(project, caller).BuildAllAsync(page, http.RequestAborted));
    }

    private async Task<IResult> ProjectJobsAsync(HttpContext http, ApiCaller caller, ProjectRecord project)
    {
        if (ReadScopes(http.Request) is not { } scopes)
        {
            return ApiJson.BadRequest("scope does not have a valid value");
        }

        var paging = Paging.From(http.Request);
        var page = await pipelineStore.ListProjectJobsAsync(project.Id, new ListQuery(scopes, paging.Offset, paging.PerPage), http.RequestAborted);
        paging.WriteHeaders(http.Response, page.Total);
        // Whether each job was retried, from one read of each pipeline's attempts (not one per job).
        var newest = new Dictionary<long, Dictionary<string, int>>();
        foreach (var pipelineId in page.Items.Select(j => j.PipelineId).Distinct())
        {
            newest[pipelineId] = (await pipelineStore.JobsOfPipelineAsync(pipelineId, http.RequestAborted))
                .GroupBy(j => j.Name).ToDictionary(g => g.Key, g => g.Max(j => j.Attempt), StringComparer.Ordinal);
        }

        var jobs = page.Items.Select(j => (j, j.Attempt < newest[j.PipelineId][j.Name])).ToList();

        return ApiJson.Ok(await jobViews.Builder(project, caller).BuildAllAsync(jobs, http.RequestAborted));
    }
}

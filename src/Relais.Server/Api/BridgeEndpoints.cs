using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Auth;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// <c>GET /projects/:id/pipelines/:pipeline_id/bridges</c> (<c>scope</c> / <c>scope[]</c>, paged): a pipeline's trigger
/// jobs in GitLab's bridge shape, a job's fields with <c>downstream_pipeline</c> (null until one is created).
/// </summary>
internal sealed class BridgeEndpoints(ApiGuard guard, JobViews jobViews, IPipelineStore pipelineStore, IDownstreamStore links, IProjectStore projects, string externalUrl)
{
    public void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/v4/projects/{id}/pipelines/{pid:long}/bridges", (HttpContext http, string id, long pid) =>
            guard.ProjectAsync(http, id, AccessLevel.Reporter, (c, p) => ListAsync(http, c, p, pid)));

    private async Task<IResult> ListAsync(HttpContext http, ApiCaller caller, ProjectRecord project, long pid)
    {
        var cancel = http.RequestAborted;
        if (await pipelineStore.GetPipelineStateAsync(pid, cancel) is not { } snapshot || snapshot.Row.ProjectId != project.Id)
        {
            return ApiJson.NotFound("Pipeline");
        }

        if (JobEndpoints.ReadScopes(http.Request) is not { } scopes)
        {
            return ApiJson.BadRequest("scope does not have a valid value");
        }

        var bridges = (await pipelineStore.CurrentJobsAsync(pid, cancel))
            .Where(j => snapshot.State?.Plan.Job(j.Name)?.IsTrigger == true)
            .Where(j => scopes.Count == 0 || scopes.Contains(j.Status))
            .ToList();
        var paging = Paging.From(http.Request);
        paging.WriteHeaders(http.Response, bridges.Count);
        var page = bridges.Skip(paging.Offset).Take(paging.PerPage).ToList();
        var downstream = (await links.DownstreamOfAsync([.. page.Select(j => j.Id)], cancel))
            .GroupBy(l => l.BridgeJobId)
            .ToDictionary(g => g.Key, g => g.Last().Pipeline);
        var builder = jobViews.Builder(project, caller);
        var views = new List<BridgeView>();
        foreach (var job in page)
        {
            var view = await builder.BuildAsync(job, false, cancel);
            PipelineView? pipeline = null;
            if (downstream.GetValueOrDefault(job.Id) is { } d && await DownstreamProjectAsync(project, d.ProjectId, cancel) is { } target)
            {
                pipeline = ApiViews.Pipeline(d, target, externalUrl);
            }

            views.Add(new BridgeView(
                view.Id, view.Name, view.Stage, view.Status, view.Ref, view.Tag, view.Coverage, view.AllowFailure, view.CreatedAt,
                view.StartedAt, view.FinishedAt, view.ErasedAt, view.Duration, view.QueuedDuration, view.User, view.Pipeline,
                view.WebUrl, view.FailureReason, pipeline));
        }

        return ApiJson.Ok(views);
    }

    private async Task<ProjectRecord?> DownstreamProjectAsync(ProjectRecord project, long projectId, CancellationToken cancel) =>
        projectId == project.Id ? project : await projects.GetProjectAsync(projectId, cancel);
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// <c>GET /runners</c> (the runners the caller may use and manage: every instance runner for an administrator,
/// none for others, since all runners here are instance runners), <c>GET /runners/all</c> (administrators; 403
/// otherwise) and <c>GET /runners/:id</c> (administrators).
/// </summary>
internal sealed class RunnerListEndpoints(ApiGuard guard, IRunnerStore runnerStore, TimeProvider time)
{
    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v4/runners", Task<IResult> (HttpContext http) => guard.UserAsync(http, required: true, c => ListAsync(http, c.IsAdmin)));
        app.MapGet("/api/v4/runners/all", Task<IResult> (HttpContext http) => guard.UserAsync(http, required: true, c =>
            c.IsAdmin ? ListAsync(http, true) : Task.FromResult(ApiJson.Error(StatusCodes.Status403Forbidden, "403 Forbidden"))));
        app.MapGet("/api/v4/runners/{rid:long}", (HttpContext http, long rid) => guard.UserAsync(http, required: true, async c =>
        {
            if (!c.IsAdmin)
            {
                return ApiJson.Error(StatusCodes.Status403Forbidden, "403 Forbidden");
            }

            return (await runnerStore.ListRunnersAsync(http.RequestAborted)).FirstOrDefault(r => r.Id == rid) is { } runner
                ? ApiJson.Ok(ApiViews.Runner(runner, time.GetUtcNow()))
                : ApiJson.NotFound("Runner");
        }));
    }

    private async Task<IResult> ListAsync(HttpContext http, bool visible)
    {
        var runners = visible ? await runnerStore.ListRunnersAsync(http.RequestAborted) : [];
        var paging = Paging.From(http.Request);
        paging.WriteHeaders(http.Response, runners.Count);
        return ApiJson.Ok(runners.Skip(paging.Offset).Take(paging.PerPage).Select(r => ApiViews.Runner(r, time.GetUtcNow())).ToList());
    }
}

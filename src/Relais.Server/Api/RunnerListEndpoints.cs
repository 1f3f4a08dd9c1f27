using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Relais.Server.Api;

/// <summary>
/// <c>GET /runners</c> (the runners the caller may use and manage: every instance runner for an administrator,
/// none for others, since all runners here are instance runners), <c>GET /runners/all</c> (administrators; 403
/// otherwise) and <c>GET /runners/:id</c> (administrators).
/// </summary>
internal static class RunnerListEndpoints
{
    public static void Map(IEndpointRouteBuilder app, ServerContext s)
    {
        app.MapGet("/api/v4/runners", Task<IResult> (HttpContext http) => ApiGuard.UserAsync(http, s, required: true, c => ListAsync(http, s, c.IsAdmin)));
        app.MapGet("/api/v4/runners/all", Task<IResult> (HttpContext http) => ApiGuard.UserAsync(http, s, required: true, c =>
            c.IsAdmin ? ListAsync(http, s, true) : Task.FromResult(ApiJson.Error(StatusCodes.Status403Forbidden, "403 Forbidden"))));
        app.MapGet("/api/v4/runners/{rid:long}", (HttpContext http, long rid) => ApiGuard.UserAsync(http, s, required: true, async c =>
        {
            if (!c.IsAdmin)
            {
                return ApiJson.Error(StatusCodes.Status403Forbidden, "403 Forbidden");
            }

            return (await s.Store.ListRunnersAsync(http.RequestAborted)).FirstOrDefault(r => r.Id == rid) is { } runner
                ? ApiJson.Ok(ApiViews.Runner(runner, s.Time.GetUtcNow()))
                : ApiJson.NotFound("Runner");
        }));
    }

    private static async Task<IResult> ListAsync(HttpContext http, ServerContext s, bool visible)
    {
        var runners = visible ? await s.Store.ListRunnersAsync(http.RequestAborted) : [];
        var paging = Paging.From(http.Request);
        paging.WriteHeaders(http.Response, runners.Count);
        return ApiJson.Ok(runners.Skip(paging.Offset).Take(paging.PerPage).Select(r => ApiViews.Runner(r, s.Time.GetUtcNow())).ToList());
    }
}

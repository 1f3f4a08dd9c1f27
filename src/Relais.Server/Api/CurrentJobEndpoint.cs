using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Auth;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// <c>GET /api/v4/job</c>: the job whose CI/CD job token makes the call (<c>JOB-TOKEN</c> or <c>job_token</c>), in the
/// jobs API's shape. A token of a job that is no longer running is 401, as any unknown token; a caller with another
/// kind of token has no job here (404 Job Not Found), and an anonymous one is 401.
/// </summary>
internal sealed class CurrentJobEndpoint(ApiGuard guard, JobTokenCallers jobTokens, JobViews jobViews, IProjectStore projectStore)
{
    public void Map(IEndpointRouteBuilder app) =>
        app.MapMethods("/api/v4/job", [HttpMethods.Get, HttpMethods.Head], Task<IResult> (HttpContext http) => CurrentAsync(http));

    private async Task<IResult> CurrentAsync(HttpContext http)
    {
        if (RequestTokens.JobForApi(http.Request) is not { } token)
        {
            return await guard.UserAsync(http, required: true, _ => Task.FromResult(ApiJson.NotFound("Job")));
        }

        var (caller, denied) = await jobTokens.AuthenticateAsync(http, token);
        if (caller?.Job is not { } job || await projectStore.GetProjectAsync(job.ProjectId, http.RequestAborted) is not { } project)
        {
            return denied ?? ApiJson.NotFound("Job");
        }

        return ApiJson.Ok(await jobViews.Builder(project, caller).BuildAsync(job, retried: false, http.RequestAborted));
    }
}

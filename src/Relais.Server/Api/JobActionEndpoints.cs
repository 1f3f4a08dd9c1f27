using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Pipelines;

namespace Relais.Server.Api;

/// <summary>
/// A user acting on one job: play (<see cref="ManualJobPlayed"/>), retry (<see cref="RetryRequested"/>; answers
/// the new attempt) and cancel (<see cref="JobCancelRequested"/>). Each goes through the driver, so the engine
/// decides and the queue wakes; an event the engine rejects is 400 (play) or 403 (retry), as in GitLab.
/// </summary>
internal static class JobActionEndpoints
{
    private const string Route = "/api/v4/projects/{id}/jobs/{jid:long}/";

    public static void Map(IEndpointRouteBuilder app, ServerContext s)
    {
        app.MapPost(Route + "play", (HttpContext http, string id, long jid) =>
            ActAsync(http, s, id, jid, JobAction.Play, ApiJson.BadRequest("Unplayable Job")));
        app.MapPost(Route + "retry", (HttpContext http, string id, long jid) =>
            ActAsync(http, s, id, jid, JobAction.Retry, ApiJson.Error(StatusCodes.Status403Forbidden, "403 Forbidden - Job is not retryable")));
        app.MapPost(Route + "cancel", (HttpContext http, string id, long jid) => ActAsync(http, s, id, jid, JobAction.Cancel, null));
    }

    private static Task<IResult> ActAsync(HttpContext http, ServerContext s, string id, long jid, JobAction action, IResult? whenRejected) =>
        ApiGuard.ProjectAsync(http, s, id, Access.Write, async (caller, project) =>
        {
            if (await JobEndpoints.FindAsync(s, project, jid) is not { } job)
            {
                return ApiJson.NotFound("Job");
            }

            var (accepted, shown) = await UserActions.OnJobAsync(s, job, action);
            var name = action switch { JobAction.Play => "job_played", JobAction.Retry => "job_retried", _ => "job_canceled" };
            await Security.AuditLog.RecordAsync(http, s, Security.AuditActor.Of(caller.User), name, "Job", job.Id, job.Name, accepted ? null : "rejected");
            if (!accepted && whenRejected is not null)
            {
                return whenRejected;
            }

            return ApiJson.Ok(await new JobViewBuilder(s, project, caller).BuildAsync(shown, retried: false), StatusCodes.Status201Created);
        });
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Auth;
using Relais.Server.Pipelines;
using Relais.Server.Security;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// A user acting on one job: play (<see cref="ManualJobPlayed"/>), retry (<see cref="RetryRequested"/>; answers
/// the new attempt) and cancel (<see cref="JobCancelRequested"/>). Each goes through the driver, so the engine
/// decides and the queue wakes; an event the engine rejects is 400 (play) or 403 (retry), as in GitLab. Play takes
/// <c>job_variables_attributes</c> (GitLab's manual job variables: a JSON array of key and value, or form fields
/// <c>job_variables_attributes[][key]</c>…), played through <see cref="ManualJobPlays"/>; a retry keeps them.
/// </summary>
internal sealed class JobActionEndpoints(
    ApiGuard guard, AuditLog auditLog, UserActions actions, ManualJobPlays plays, JobViews jobViews, IPipelineStore pipelineStore)
{
    private const string Route = "/api/v4/projects/{id}/jobs/{jid:long}/";

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapPost(Route + "play", (HttpContext http, string id, long jid) =>
            ActAsync(http, id, jid, JobAction.Play, ApiJson.BadRequest("Unplayable Job")));
        app.MapPost(Route + "retry", (HttpContext http, string id, long jid) =>
            ActAsync(http, id, jid, JobAction.Retry, ApiJson.Error(StatusCodes.Status403Forbidden, "403 Forbidden - Job is not retryable")));
        app.MapPost(Route + "cancel", (HttpContext http, string id, long jid) => ActAsync(http, id, jid, JobAction.Cancel, null));
    }

    private Task<IResult> ActAsync(HttpContext http, string id, long jid, JobAction action, IResult? whenRejected) =>
        guard.ProjectAsync(http, id, AccessLevel.Developer, async (caller, project) =>
        {
            if (await JobEndpoints.FindAsync(pipelineStore, project, jid, http.RequestAborted) is not { } job)
            {
                return ApiJson.NotFound("Job");
            }

            bool accepted;
            JobRecord shown;
            if (action == JobAction.Play)
            {
                var (variables, error) = await PipelineVariablesInput.ReadAsync(http.Request, "job_variables_attributes");
                if (error is not null)
                {
                    return ApiJson.BadRequest(error);
                }

                (accepted, shown) = await plays.PlayAsync(job, variables, http.RequestAborted);
            }
            else
            {
                (accepted, shown) = await actions.OnJobAsync(job, action, http.RequestAborted);
            }

            var name = action switch { JobAction.Play => "job_played", JobAction.Retry => "job_retried", _ => "job_canceled" };
            await auditLog.RecordAsync(http, AuditActor.Of(caller.User), name, "Job", job.Id, job.Name, accepted ? null : "rejected");
            if (!accepted && whenRejected is not null)
            {
                return whenRejected;
            }

            return ApiJson.Ok(await jobViews.Builder(project, caller).BuildAsync(shown, retried: false, http.RequestAborted), StatusCodes.Status201Created);
        });
}

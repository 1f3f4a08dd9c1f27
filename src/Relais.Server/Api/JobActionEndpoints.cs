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
/// <c>job_variables_attributes[][key]</c>…): they are kept with the attempt before the engine hears of the play (so
/// the runner that picks it up sees them), put back as they were if the engine rejects it, and a retry keeps them.
/// </summary>
internal sealed class JobActionEndpoints(
    ApiGuard guard, AuditLog auditLog, UserActions actions, JobViews jobViews, IPipelineStore pipelineStore, IJobPlayVariableStore playVariables, SecretBox secrets, TimeProvider time)
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

            var restore = (Stored: false, Previous: (string?)null);
            if (action == JobAction.Play)
            {
                var (variables, error) = await PipelineVariablesInput.ReadAsync(http.Request, "job_variables_attributes");
                if (error is not null)
                {
                    return ApiJson.BadRequest(error);
                }

                if (variables.Count > 0)
                {
                    restore = (true, await playVariables.OfAttemptAsync(job.Id, http.RequestAborted));
                    await playVariables.SetAsync(job.Id, PlayVariables.Seal(variables, secrets), time.GetUtcNow(), http.RequestAborted);
                }
            }

            var (accepted, shown) = await actions.OnJobAsync(job, action, http.RequestAborted);
            if (!accepted && restore.Stored)
            {
                await playVariables.SetAsync(job.Id, restore.Previous, time.GetUtcNow(), CancellationToken.None);
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

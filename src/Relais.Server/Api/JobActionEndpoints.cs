using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Engine;
using Relais.Server.Storage;

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
        app.MapPost(Route + "play", (HttpContext http, string id, long jid) => ActAsync(http, s, id, jid, Play));
        app.MapPost(Route + "retry", (HttpContext http, string id, long jid) => ActAsync(http, s, id, jid, Retry));
        app.MapPost(Route + "cancel", (HttpContext http, string id, long jid) => ActAsync(http, s, id, jid, Cancel));
    }

    private static (PipelineEvent Event, IResult? WhenRejected) Play(JobRecord job, DateTimeOffset now) =>
        (new ManualJobPlayed(now, job.Name), ApiJson.BadRequest("Unplayable Job"));

    private static (PipelineEvent Event, IResult? WhenRejected) Retry(JobRecord job, DateTimeOffset now) =>
        (new RetryRequested(now, job.Name), ApiJson.Error(StatusCodes.Status403Forbidden, "403 Forbidden - Job is not retryable"));

    private static (PipelineEvent Event, IResult? WhenRejected) Cancel(JobRecord job, DateTimeOffset now) =>
        (new JobCancelRequested(now, job.Name), null);

    private static Task<IResult> ActAsync(HttpContext http, ServerContext s, string id, long jid, Func<JobRecord, DateTimeOffset, (PipelineEvent, IResult?)> action) =>
        ApiGuard.ProjectAsync(http, s, id, Access.Write, async (caller, project) =>
        {
            if (await JobEndpoints.FindAsync(s, project, jid) is not { } job)
            {
                return ApiJson.NotFound("Job");
            }

            var (e, whenRejected) = action(job, s.Time.GetUtcNow());
            var latest = (await s.Store.JobsOfPipelineAsync(job.PipelineId)).Where(j => j.Name == job.Name).Max(j => j.Attempt);
            var pipeline = await s.Store.GetPipelineAsync(job.PipelineId);
            // Only the current attempt can be acted on; the engine would take the name to mean the current one.
            var step = pipeline?.HasState != true || job.Attempt != latest ? null : await s.Driver.ApplyAsync(job.PipelineId, e);
            var name = e switch { ManualJobPlayed => "job_played", RetryRequested => "job_retried", _ => "job_canceled" };
            await Security.AuditLog.RecordAsync(http, s, Security.AuditActor.Of(caller.User), name, "Job", job.Id, job.Name, step is null ? "rejected" : null);
            if (step is null && whenRejected is not null)
            {
                return whenRejected;
            }

            var shown = e is RetryRequested
                ? (await s.Store.JobsOfPipelineAsync(job.PipelineId)).Where(j => j.Name == job.Name).MaxBy(j => j.Attempt)!
                : (await s.Store.GetJobAsync(job.Id))!;
            return ApiJson.Ok(await new JobViewBuilder(s, project, caller).BuildAsync(shown, retried: false), StatusCodes.Status201Created);
        });
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Protocol;
using Relais.Server.Artifacts;
using Relais.Server.Auth;
using Relais.Server.Logs;
using Relais.Server.Security;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// What a user does to a job's leftovers, with GitLab's roles and answers: erase a finished job (its log and artifacts;
/// 201 with the job; Maintainer, or the Developer who caused its pipeline), keep its artifacts (clears their expiry;
/// Developer; 200 with the job), delete its artifacts (Maintainer; 204), and delete every artifact of the project
/// but those of each ref's latest successful pipeline (Maintainer; 202). Each is audited.
/// </summary>
internal sealed class JobArtifactActionEndpoints(ApiGuard guard, AuditLog auditLog, JobViews jobViews, IPipelineStore pipelineStore, IArtifactStore artifactStore, JobErasure erasure, TraceStore traces)
{
    private const string Route = "/api/v4/projects/{id}/jobs/{jid:long}/";

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapPost(Route + "erase", (HttpContext http, string id, long jid) =>
            guard.ProjectAsync(http, id, AccessLevel.Developer, (c, p) => EraseAsync(http, c, p, jid)));
        app.MapPost(Route + "artifacts/keep", (HttpContext http, string id, long jid) =>
            guard.ProjectAsync(http, id, AccessLevel.Developer, (c, p) => KeepAsync(http, c, p, jid)));
        app.MapDelete(Route + "artifacts", (HttpContext http, string id, long jid) =>
            guard.ProjectAsync(http, id, AccessLevel.Maintainer, (c, p) => DeleteJobArtifactsAsync(http, c, p, jid)));
        app.MapDelete("/api/v4/projects/{id}/artifacts", (HttpContext http, string id) =>
            guard.ProjectAsync(http, id, AccessLevel.Maintainer, (c, p) => DeleteProjectArtifactsAsync(http, c, p)));
    }

    private async Task<IResult> EraseAsync(HttpContext http, ApiCaller caller, ProjectRecord project, long jid)
    {
        var cancel = http.RequestAborted;
        if (await JobEndpoints.FindAsync(pipelineStore, project, jid, cancel) is not { } job)
        {
            return ApiJson.NotFound("Job");
        }

        var pipeline = await pipelineStore.GetPipelineAsync(job.PipelineId, cancel);
        if (!caller.Has(project, AccessLevel.Maintainer) && (caller.User is null || pipeline?.UserId != caller.User.Id))
        {
            return ApiJson.Error(StatusCodes.Status403Forbidden, "403 Forbidden");
        }

        // GitLab's erasable?: finished, with something to erase.
        var hasArtifacts = (await artifactStore.ArtifactsOfAsync([job.Id], cancel)).Count > 0;
        if (!job.Status.IsCompleted() || (!hasArtifacts && traces.Length(job.Id) == 0))
        {
            return ApiJson.Error(StatusCodes.Status403Forbidden, "403 Forbidden - Job is not erasable!");
        }

        await erasure.EraseAsync(job, CancellationToken.None);
        await auditLog.RecordAsync(http, AuditActor.Of(caller.User), "job_erased", "Job", job.Id, job.Name);
        var erased = await pipelineStore.GetJobAsync(job.Id, CancellationToken.None) ?? job;
        return ApiJson.Ok(await jobViews.Builder(project, caller).BuildAsync(erased, retried: false, CancellationToken.None), StatusCodes.Status201Created);
    }

    private async Task<IResult> KeepAsync(HttpContext http, ApiCaller caller, ProjectRecord project, long jid)
    {
        if (await JobEndpoints.FindAsync(pipelineStore, project, jid, http.RequestAborted) is not { } job)
        {
            return ApiJson.NotFound("Job");
        }

        if (!await artifactStore.KeepArtifactsAsync(job.Id, http.RequestAborted))
        {
            return ApiJson.Error(StatusCodes.Status404NotFound, "404 Not Found"); // GitLab: no artifacts to keep
        }

        await auditLog.RecordAsync(http, AuditActor.Of(caller.User), "job_artifacts_kept", "Job", job.Id, job.Name);
        return ApiJson.Ok(await jobViews.Builder(project, caller).BuildAsync(job, retried: false, http.RequestAborted));
    }

    private async Task<IResult> DeleteJobArtifactsAsync(HttpContext http, ApiCaller caller, ProjectRecord project, long jid)
    {
        if (await JobEndpoints.FindAsync(pipelineStore, project, jid, http.RequestAborted) is not { } job)
        {
            return ApiJson.NotFound("Job");
        }

        var count = await erasure.DeleteArtifactsAsync([job.Id], CancellationToken.None);
        await auditLog.RecordAsync(http, AuditActor.Of(caller.User), "job_artifacts_deleted", "Job", job.Id, job.Name, $"{count} files");
        return Results.StatusCode(StatusCodes.Status204NoContent);
    }

    private async Task<IResult> DeleteProjectArtifactsAsync(HttpContext http, ApiCaller caller, ProjectRecord project)
    {
        var jobs = await artifactStore.DeletableJobsOfProjectAsync(project.Id, http.RequestAborted);
        var count = await erasure.DeleteArtifactsAsync(jobs, CancellationToken.None);
        await auditLog.RecordAsync(http, AuditActor.Of(caller.User), "project_artifacts_deleted", "Project", project.Id, project.Path, $"{count} files of {jobs.Count} jobs");
        return ApiJson.Error(StatusCodes.Status202Accepted, "202 Accepted");
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Protocol;
using Relais.Server.Artifacts;
using Relais.Server.Auth;
using Relais.Server.Logs;
using Relais.Server.Pipelines;
using Relais.Server.Security;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// The rest of GitLab's pipelines API on one pipeline: <c>GET …/variables</c> (the variables it was created with),
/// <c>DELETE</c> (Owner; cancels it if it is still going, then removes it, its jobs, logs and artifacts; 204), and
/// <c>GET …/test_report</c> and <c>…/test_report_summary</c> from its jobs' JUnit reports (<see cref="PipelineTestReports"/>).
/// </summary>
internal sealed class PipelineDetailEndpoints(
    ApiGuard guard, AuditLog auditLog, UserActions actions, IPipelineStore pipelineStore, PipelineTestReports testReports, TraceStore traces, ArtifactBlobs blobs)
{
    private const string Route = "/api/v4/projects/{id}/pipelines/{pid:long}";

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(Route + "/variables", (HttpContext http, string id, long pid) =>
            guard.ProjectAsync(http, id, AccessLevel.Developer, (_, p) => WithPipelineAsync(p, pid, http, VariablesAsync)));
        app.MapDelete(Route, (HttpContext http, string id, long pid) =>
            guard.ProjectAsync(http, id, AccessLevel.Owner, (c, p) => WithPipelineAsync(p, pid, http, row => DeleteAsync(http, c, row))));
        app.MapGet(Route + "/test_report", (HttpContext http, string id, long pid) =>
            guard.ProjectAsync(http, id, AccessLevel.Reporter, (_, p) => WithPipelineAsync(p, pid, http, async row =>
                ApiJson.Ok(PipelineTestReports.Report([.. (await testReports.SuitesAsync(row.Id, http.RequestAborted)).Select(s => s.Suite)])))));
        app.MapGet(Route + "/test_report_summary", (HttpContext http, string id, long pid) =>
            guard.ProjectAsync(http, id, AccessLevel.Reporter, (_, p) => WithPipelineAsync(p, pid, http, async row =>
                ApiJson.Ok(PipelineTestReports.Summary(await testReports.SuitesAsync(row.Id, http.RequestAborted))))));
    }

    private async Task<IResult> WithPipelineAsync(ProjectRecord project, long pid, HttpContext http, Func<PipelineRecord, Task<IResult>> handler) =>
        await pipelineStore.GetPipelineAsync(pid, http.RequestAborted) is { } row && row.ProjectId == project.Id
            ? await handler(row)
            : ApiJson.NotFound("Pipeline");

    private async Task<IResult> VariablesAsync(PipelineRecord row)
    {
        var variables = PipelineVariablesJson.Read(await pipelineStore.PipelineVariablesAsync(row.Id));
        return ApiJson.Ok(variables.Select(v => new PipelineVariableView(v.Key, v.Value, v.VariableType, v.Raw)).ToList());
    }

    private async Task<IResult> DeleteAsync(HttpContext http, ApiCaller caller, PipelineRecord row)
    {
        if (!row.Status.IsCompleted())
        {
            await actions.OnPipelineAsync(row, PipelineAction.Cancel); // GitLab cancels what still runs before it deletes
        }

        if (await pipelineStore.DeletePipelineAsync(row.Id, CancellationToken.None) is not { } deleted)
        {
            return ApiJson.NotFound("Pipeline");
        }

        foreach (var job in deleted.JobIds)
        {
            traces.DeleteLog(job);
        }

        foreach (var blob in deleted.ArtifactBlobs)
        {
            blobs.Delete(blob);
        }

        await auditLog.RecordAsync(http, AuditActor.Of(caller.User), "pipeline_deleted", "Pipeline", row.Id, null);
        return Results.NoContent();
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Pipelines.Context;
using Relais.Protocol;
using Relais.Server.Auth;
using Relais.Server.Pipelines;
using Relais.Server.Security;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// A project's pipelines: get, create for a ref (from <see cref="IPipelineConfigSource"/>), cancel and retry (engine
/// events through the driver). The list and the rest of the pipelines API are <see cref="PipelineListEndpoints"/> and
/// <see cref="PipelineDetailEndpoints"/>.
/// </summary>
internal sealed class PipelineEndpoints(string externalUrl, ApiGuard guard, AuditLog auditLog, UserActions actions, IPipelineStore pipelineStore, PipelineCreator creator, PipelineUsers users)
{
    private const string Route = "/api/v4/projects/{id}/pipelines/{pid:long}";

    public void Map(IEndpointRouteBuilder app, IPipelineConfigSource configs)
    {
        app.MapGet(Route, (HttpContext http, string id, long pid) =>
            guard.ProjectAsync(http, id, AccessLevel.Reporter, (c, p) => WithPipelineAsync(c, p, pid, row => Task.FromResult<IResult?>(null), http.RequestAborted)));
        app.MapPost("/api/v4/projects/{id}/pipeline", (HttpContext http, string id) =>
            guard.ProjectAsync(http, id, AccessLevel.Developer, (c, p) => CreateAsync(http, configs, c, p))).DisableAntiforgery();
        app.MapPost(Route + "/cancel", (HttpContext http, string id, long pid) =>
            guard.ProjectAsync(http, id, AccessLevel.Developer, (c, p) => WithPipelineAsync(c, p, pid, row => AuditedAsync(http, c, row, "pipeline_canceled", PipelineAction.Cancel), http.RequestAborted, StatusCodes.Status201Created)));
        app.MapPost(Route + "/retry", (HttpContext http, string id, long pid) =>
            guard.ProjectAsync(http, id, AccessLevel.Developer, (c, p) => WithPipelineAsync(c, p, pid, row => AuditedAsync(http, c, row, "pipeline_retried", PipelineAction.Retry), http.RequestAborted, StatusCodes.Status201Created)));
    }

    /// <summary>Finds the pipeline in the project (404 otherwise), runs <paramref name="act"/> (its result, when not null, answers), then shows the pipeline.</summary>
    private async Task<IResult> WithPipelineAsync(ApiCaller caller, ProjectRecord project, long pid, Func<PipelineRecord, Task<IResult?>> act, CancellationToken cancel, int status = StatusCodes.Status200OK)
    {
        if (await pipelineStore.GetPipelineAsync(pid, cancel) is not { } row || row.ProjectId != project.Id)
        {
            return ApiJson.NotFound("Pipeline");
        }

        if (await act(row) is { } answer)
        {
            return answer;
        }

        var after = (await pipelineStore.GetPipelineStateAsync(pid, cancel))!;
        return ApiJson.Ok(await new PipelineDetails(users, externalUrl).OfAsync(after, project, cancel), status);
    }

    /// <summary>Applies a user's action (<see cref="UserActions"/>) and writes it to the audit log. A rejected one changes nothing and still answers the pipeline, as in GitLab.</summary>
    private async Task<IResult?> AuditedAsync(HttpContext http, ApiCaller caller, PipelineRecord row, string name, PipelineAction action)
    {
        await auditLog.RecordAsync(http, AuditActor.Of(caller.User), name, "Pipeline", row.Id, null);
        return await ApplyAsync(row, action);
    }

    private async Task<IResult?> ApplyAsync(PipelineRecord row, PipelineAction action)
    {
        await actions.OnPipelineAsync(row, action);
        return null;
    }

    private async Task<IResult> CreateAsync(HttpContext http, IPipelineConfigSource configs, ApiCaller caller, ProjectRecord project)
    {
        var (variables, invalid) = await PipelineVariablesInput.ReadAsync(http.Request);
        if (invalid is not null)
        {
            return ApiJson.BadRequest(invalid);
        }

        var fields = await ApiParams.ReadAsync(http.Request);
        if (fields.GetValueOrDefault("ref") is not { Length: > 0 } gitRef)
        {
            return ApiJson.BadRequest("ref is missing");
        }

        if (await new RefPipelineRunner(configs, creator, users).RunAsync(project, gitRef, PipelineSource.Api, caller.User, variables, http.RequestAborted) is not { } created)
        {
            return ApiJson.BadRequest($"no CI configuration for ref '{gitRef}' (the project has no stored .gitlab-ci.yml)");
        }

        if (!created.Created)
        {
            return ApiJson.Invalid("base", CreatedPipeline.FilteredOutMessage); // GitLab's answer, word for word
        }

        return await WithPipelineAsync(caller, project, created.Id, _ => Task.FromResult<IResult?>(null), http.RequestAborted, StatusCodes.Status201Created);
    }
}

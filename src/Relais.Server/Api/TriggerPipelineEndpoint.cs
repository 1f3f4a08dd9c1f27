using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Pipelines.Context;
using Relais.Server.Auth;
using Relais.Server.Pipelines;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// <c>POST /projects/:id/trigger/pipeline</c> (and the webhook form <c>POST /projects/:id/ref/:ref/trigger/pipeline</c>):
/// runs a pipeline for <c>ref</c> with <c>variables</c>, authenticated by <c>token</c> alone. A trigger token of the
/// project runs it as the token's owner with source <c>trigger</c>; a running job's <c>CI_JOB_TOKEN</c> runs it as the
/// user who caused the job's pipeline with source <c>pipeline</c> (a multi-project pipeline), within the project's job
/// token scope. An unknown token is 404, as in GitLab; a call made by a pipeline webhook is refused (403), so a hook
/// pointed here cannot loop.
/// </summary>
internal sealed class TriggerPipelineEndpoint(
    string externalUrl, ApiGuard guard, JobTokenCallers jobTokens, ITriggerStore triggers, IProjectStore projects,
    IPipelineStore pipelines, PipelineOwners owners, RefPipelineRunner runner, TimeProvider time)
{
    public void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v4/projects/{id}/trigger/pipeline", (HttpContext http, string id) => TriggerAsync(http, id, null)).DisableAntiforgery();
        app.MapPost("/api/v4/projects/{id}/ref/{*gitRef}", (HttpContext http, string id, string gitRef) =>
            gitRef.EndsWith("/trigger/pipeline", StringComparison.Ordinal) && gitRef.Length > "/trigger/pipeline".Length
                ? TriggerAsync(http, id, gitRef[..^"/trigger/pipeline".Length])
                : Task.FromResult(ApiJson.Error(StatusCodes.Status404NotFound, "404 Not Found"))).DisableAntiforgery();
    }

    private async Task<IResult> TriggerAsync(HttpContext http, string id, string? routeRef)
    {
        if (http.Request.Headers["X-Gitlab-Event"].ToString() == "Pipeline Hook")
        {
            return ApiJson.Error(StatusCodes.Status403Forbidden, "403 Forbidden");
        }

        var (variables, invalid) = await TriggerVariablesInput.ReadAsync(http.Request);
        var fields = await ApiParams.ReadAsync(http.Request);
        var gitRef = routeRef is { Length: > 0 } ? Uri.UnescapeDataString(routeRef) : fields.GetValueOrDefault("ref");
        if (gitRef is not { Length: > 0 })
        {
            return TriggerEndpoints.MissingParameter("ref");
        }

        if (fields.GetValueOrDefault("token") is not { Length: > 0 } token)
        {
            return TriggerEndpoints.MissingParameter("token");
        }

        if (invalid is not null)
        {
            return ApiJson.BadRequest(invalid);
        }

        var cancel = http.RequestAborted;
        if (await ApiCaller.FindProjectAsync(projects, id, cancel) is not { } project)
        {
            return ApiJson.NotFound("Project");
        }

        if (await triggers.FindTriggerAsync(project.Id, Tokens.Hash(token), cancel) is { } trigger)
        {
            if (await owners.AllowedAsync(trigger.OwnerId, project, cancel) is not { } owner)
            {
                return ApiJson.Error(StatusCodes.Status403Forbidden, "403 Forbidden - the trigger's owner may not run pipelines in this project");
            }

            await triggers.TouchTriggerAsync(trigger.Id, time.GetUtcNow(), CancellationToken.None);
            return await RunAsync(project, gitRef, PipelineSource.Trigger, owner, variables, cancel);
        }

        if (token.StartsWith(TriggerEndpoints.TokenPrefix, StringComparison.Ordinal))
        {
            return ApiJson.Error(StatusCodes.Status404NotFound, "404 Not Found");
        }

        var (caller, denied) = await jobTokens.AuthenticateAsync(http, token);
        if (caller is null || denied is not null)
        {
            return ApiJson.Error(StatusCodes.Status404NotFound, "404 Not Found");
        }

        return await guard.ForJobAsync(http, caller, id, AccessLevel.Developer, (c, p) => RunAsync(p, gitRef, PipelineSource.Pipeline, c.User, variables, cancel));
    }

    private async Task<IResult> RunAsync(ProjectRecord project, string gitRef, PipelineSource source, UserRecord? user, IReadOnlyList<ContextVariable> variables, CancellationToken cancel)
    {
        var created = await runner.RunAsync(project, gitRef, source, user, variables, cancel);
        if (created is null)
        {
            return ApiJson.Invalid("base", "Reference not found");
        }

        if (!created.Created)
        {
            return ApiJson.Invalid("base", CreatedPipeline.FilteredOutMessage);
        }

        var snapshot = (await pipelines.GetPipelineStateAsync(created.Id, CancellationToken.None))!;
        return ApiJson.Ok(ApiViews.PipelineDetail(snapshot, project, externalUrl, user is null ? null : ApiViews.User(user, externalUrl)), StatusCodes.Status201Created);
    }
}

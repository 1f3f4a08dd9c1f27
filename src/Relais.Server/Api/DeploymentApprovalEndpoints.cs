using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Auth;
using Relais.Server.Environments;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// GitLab's "approve or reject a blocked deployment": <c>POST /projects/:id/deployments/:deployment_id/approval</c>
/// (<c>status</c> <c>approved</c> or <c>rejected</c>, required; <c>comment</c>). 201 with the approval (<c>user</c>,
/// <c>status</c>, <c>created_at</c>, <c>comment</c>); the service's refusals are 400 <c>{"message": "…"}</c> in GitLab's
/// words (<see cref="DeploymentApprovals"/>). <c>represented_as</c> is not supported (Relais has no approval rules).
/// </summary>
internal sealed class DeploymentApprovalEndpoints(ApiGuard guard, AggregateStores stores, DeploymentApprovals approvals, EnvironmentViews views)
{
    private static readonly string[] Statuses = [DeploymentApprovalStatuses.Approved, DeploymentApprovalStatuses.Rejected];

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapPost(DeploymentEndpoints.Route + "/{did:long}/approval", (HttpContext http, string id, long did) => guard.ProjectAsync(http, id, AccessLevel.Reporter, (c, p) =>
            AnswerAsync(http, c, p, did))).DisableAntiforgery();
    }

    private async Task<IResult> AnswerAsync(HttpContext http, ApiCaller caller, ProjectRecord project, long did)
    {
        if (await stores.Deployments.GetAsync(did, http.RequestAborted) is not { } deployment || deployment.ProjectId != project.Id)
        {
            return EnvironmentEndpoints.NotFound();
        }

        var f = await ApiParams.ReadAsync(http.Request);
        if (f.GetValueOrDefault("status") is not { Length: > 0 } status)
        {
            return EnvironmentEndpoints.ParameterError("status is missing");
        }

        if (!Statuses.Contains(status))
        {
            return EnvironmentEndpoints.ParameterError("status does not have a valid value");
        }

        var answer = await approvals.AnswerAsync(deployment, caller.User!.Id, status, f.GetValueOrDefault("comment"), CancellationToken.None);
        if (answer.Approval is not { } approval)
        {
            return ApiJson.Error(StatusCodes.Status400BadRequest, answer.Error!);
        }

        return ApiJson.Ok(await views.ApprovalAsync(approval, http.RequestAborted), StatusCodes.Status201Created);
    }
}

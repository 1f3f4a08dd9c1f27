using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Auth;
using Relais.Server.Security;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// Group CI/CD variables: <c>GET/POST /groups/:id/variables</c>, <c>GET/PUT/DELETE …/variables/:key</c> (with
/// <c>filter[environment_scope]</c>), for a Maintainer of the group (or of a parent group); every project under the
/// group, at any depth, inherits them (<see cref="Pipelines.CiVariables"/>).
/// </summary>
internal sealed class GroupVariableEndpoints(GroupEndpoints groups, AuditLog auditLog, IVariableStore variableStore, TimeProvider time)
{
    private const string Route = "/api/v4/groups/{id}/variables";

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(Route, (HttpContext http, string id) => Maintained(http, id, (_, v) => v.ListAsync(http)));
        app.MapGet(Route + "/{key}", (HttpContext http, string id, string key) => Maintained(http, id, (_, v) => v.GetAsync(http, key)));
        app.MapPost(Route, (HttpContext http, string id) => Maintained(http, id, (c, v) => v.SaveAsync(http, c, null))).DisableAntiforgery();
        app.MapPut(Route + "/{key}", (HttpContext http, string id, string key) => Maintained(http, id, (c, v) => v.SaveAsync(http, c, key))).DisableAntiforgery();
        app.MapDelete(Route + "/{key}", (HttpContext http, string id, string key) => Maintained(http, id, (c, v) => v.DeleteAsync(http, c, key)));
    }

    /// <summary>Runs <paramref name="handler"/> for a group the caller maintains: 404 when they cannot see it, 403 below Maintainer.</summary>
    private Task<IResult> Maintained(HttpContext http, string id, Func<ApiCaller, VariableRequests, Task<IResult>> handler) =>
        groups.GroupAsync(http, id, async (c, g) =>
        {
            if (c.User is null)
            {
                return ApiJson.Error(StatusCodes.Status401Unauthorized, "401 Unauthorized");
            }

            return c.LevelInNamespace(g.FullPath) < AccessLevel.Maintainer
                ? ApiJson.Error(StatusCodes.Status403Forbidden, "403 Forbidden")
                : await handler(c, new VariableRequests(auditLog, variableStore, time, VariableOwner.Group(g.Id), ("Group", g.Id, g.FullPath)));
        });
}

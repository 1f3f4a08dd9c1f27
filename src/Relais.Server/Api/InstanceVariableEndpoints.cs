using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Security;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// Instance CI/CD variables: <c>GET/POST /admin/ci/variables</c>, <c>GET/PUT/DELETE …/variables/:key</c>, for
/// administrators (403 for others). Every project's pipelines get them, below group and project variables. They have
/// no environment scope (as in GitLab).
/// </summary>
internal sealed class InstanceVariableEndpoints(ApiGuard guard, AuditLog auditLog, IVariableStore variableStore, TimeProvider time)
{
    private const string Route = "/api/v4/admin/ci/variables";

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(Route, Task<IResult> (HttpContext http) => Admin(http, (_, v) => v.ListAsync(http)));
        app.MapGet(Route + "/{key}", (HttpContext http, string key) => Admin(http, (_, v) => v.GetAsync(http, key)));
        app.MapPost(Route, Task<IResult> (HttpContext http) => Admin(http, (c, v) => v.SaveAsync(http, c, null))).DisableAntiforgery();
        app.MapPut(Route + "/{key}", (HttpContext http, string key) => Admin(http, (c, v) => v.SaveAsync(http, c, key))).DisableAntiforgery();
        app.MapDelete(Route + "/{key}", (HttpContext http, string key) => Admin(http, (c, v) => v.DeleteAsync(http, c, key)));
    }

    private Task<IResult> Admin(HttpContext http, Func<ApiCaller, VariableRequests, Task<IResult>> handler) =>
        guard.UserAsync(http, required: true, c => c.IsAdmin
            ? handler(c, new VariableRequests(auditLog, variableStore, time, VariableOwner.Instance, ("Instance", null, null)))
            : Task.FromResult(ApiJson.Error(StatusCodes.Status403Forbidden, "403 Forbidden")));
}

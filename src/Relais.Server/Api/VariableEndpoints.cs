using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Auth;
using Relais.Server.Security;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// Project CI/CD variables: <c>GET/POST /projects/:id/variables</c>, <c>GET/PUT/DELETE …/variables/:key</c> (with
/// <c>filter[environment_scope]</c>). Reading and changing them needs Maintainer (values are secrets), as GitLab.
/// </summary>
internal sealed class VariableEndpoints(ApiGuard guard, AuditLog auditLog, IVariableStore variableStore, TimeProvider time)
{
    private const string Route = "/api/v4/projects/{id}/variables";

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(Route, (HttpContext http, string id) => guard.ProjectAsync(http, id, AccessLevel.Maintainer, (_, p) => For(p).ListAsync(http)));
        app.MapGet(Route + "/{key}", (HttpContext http, string id, string key) => guard.ProjectAsync(http, id, AccessLevel.Maintainer, (_, p) => For(p).GetAsync(http, key)));
        app.MapPost(Route, (HttpContext http, string id) => guard.ProjectAsync(http, id, AccessLevel.Maintainer, (c, p) => For(p).SaveAsync(http, c, null)))
            .DisableAntiforgery();
        app.MapPut(Route + "/{key}", (HttpContext http, string id, string key) => guard.ProjectAsync(http, id, AccessLevel.Maintainer, (c, p) => For(p).SaveAsync(http, c, key)))
            .DisableAntiforgery();
        app.MapDelete(Route + "/{key}", (HttpContext http, string id, string key) => guard.ProjectAsync(http, id, AccessLevel.Maintainer, (c, p) => For(p).DeleteAsync(http, c, key)));
    }

    private VariableRequests For(ProjectRecord p) => new(auditLog, variableStore, time, VariableOwner.Project(p.Id), ("Project", p.Id, p.Path));
}

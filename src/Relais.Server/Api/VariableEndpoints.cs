using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Auth;
using Relais.Server.Security;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// Project CI/CD variables: <c>GET/POST /projects/:id/variables</c>, <c>GET/PUT/DELETE …/variables/:key</c>.
/// Changing them needs write access; so does reading them (values are secrets), as GitLab's maintainer rule.
/// </summary>
internal sealed class VariableEndpoints(ApiGuard guard, AuditLog auditLog, IVariableStore variableStore, TimeProvider time)
{
    private const string Route = "/api/v4/projects/{id}/variables";

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(Route, (HttpContext http, string id) => guard.ProjectAsync(http, id, AccessLevel.Maintainer, async (_, p) =>
        {
            var all = await variableStore.ListVariablesAsync(p.Id, http.RequestAborted);
            var paging = Paging.From(http.Request);
            paging.WriteHeaders(http.Response, all.Count);
            return ApiJson.Ok(all.Skip(paging.Offset).Take(paging.PerPage).Select(ApiViews.Variable).ToList());
        }));
        app.MapGet(Route + "/{key}", (HttpContext http, string id, string key) => guard.ProjectAsync(http, id, AccessLevel.Maintainer, async (_, p) =>
            await variableStore.GetVariableAsync(p.Id, key, http.RequestAborted) is { } v ? ApiJson.Ok(ApiViews.Variable(v)) : ApiJson.NotFound("Variable")));
        app.MapPost(Route, (HttpContext http, string id) => guard.ProjectAsync(http, id, AccessLevel.Maintainer, (c, p) => SaveAsync(http, c, p, null)))
            .DisableAntiforgery();
        app.MapPut(Route + "/{key}", (HttpContext http, string id, string key) => guard.ProjectAsync(http, id, AccessLevel.Maintainer, (c, p) => SaveAsync(http, c, p, key)))
            .DisableAntiforgery();
        app.MapDelete(Route + "/{key}", (HttpContext http, string id, string key) => guard.ProjectAsync(http, id, AccessLevel.Maintainer, async (c, p) =>
        {
            if (!await variableStore.DeleteVariableAsync(p.Id, key, CancellationToken.None))
            {
                return ApiJson.NotFound("Variable");
            }

            await AuditAsync(http, c, p, "variable_deleted", key, null);
            return Results.NoContent();
        }));
    }

    /// <summary>Creates (<paramref name="existingKey"/> null: 201, or 400 when taken) or updates (200, or 404) a variable; unset fields keep their value.</summary>
    private async Task<IResult> SaveAsync(HttpContext http, ApiCaller caller, ProjectRecord project, string? existingKey)
    {
        var f = await ApiParams.ReadAsync(http.Request);
        VariableRecord? before = null;
        if (existingKey is not null && (before = await variableStore.GetVariableAsync(project.Id, existingKey, http.RequestAborted)) is null)
        {
            return ApiJson.NotFound("Variable");
        }

        var key = existingKey ?? f.GetValueOrDefault("key");
        if (string.IsNullOrEmpty(key) || (existingKey is null && !f.ContainsKey("value")))
        {
            return ApiJson.BadRequest(string.IsNullOrEmpty(key) ? "key is missing" : "value is missing");
        }

        var variable = new VariableRecord
        {
            ProjectId = project.Id,
            Key = key,
            Value = f.GetValueOrDefault("value") ?? before?.Value ?? "",
            VariableType = f.GetValueOrDefault("variable_type") ?? before?.VariableType ?? "env_var",
            Protected = ApiParams.Bool(f, "protected") ?? before?.Protected ?? false,
            Masked = ApiParams.Bool(f, "masked") ?? before?.Masked ?? false,
            Raw = ApiParams.Bool(f, "raw") ?? before?.Raw ?? false,
        };
        if (VariableRules.Check(variable.Key, variable.Value, variable.Masked, variable.VariableType) is { } problem)
        {
            return ApiJson.Invalid(problem.Field, problem.Problem);
        }

        if (existingKey is null)
        {
            if (!await variableStore.CreateVariableAsync(variable, time.GetUtcNow(), CancellationToken.None))
            {
                return ApiJson.Invalid("key", "(" + key + ") has already been taken");
            }

            await AuditAsync(http, caller, project, "variable_created", key, variable);
            return ApiJson.Ok(ApiViews.Variable(variable), StatusCodes.Status201Created);
        }

        await variableStore.UpdateVariableAsync(variable, CancellationToken.None);
        await AuditAsync(http, caller, project, "variable_updated", key, variable);
        return ApiJson.Ok(ApiViews.Variable(variable));
    }

    /// <summary>Audits a change: the key and flags, never the value.</summary>
    private Task AuditAsync(HttpContext http, ApiCaller caller, ProjectRecord project, string action, string key, VariableRecord? v) =>
        auditLog.RecordAsync(
            http, AuditActor.Of(caller.User), action, "Project", project.Id, project.Path,
            $"variable {key}" + (v is null ? "" : $" (protected: {v.Protected}, masked: {v.Masked})"));
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// Project CI/CD variables: <c>GET/POST /projects/:id/variables</c>, <c>GET/PUT/DELETE …/variables/:key</c>.
/// Changing them needs write access; so does reading them (values are secrets), as GitLab's maintainer rule.
/// </summary>
internal static class VariableEndpoints
{
    private const string Route = "/api/v4/projects/{id}/variables";

    public static void Map(IEndpointRouteBuilder app, ServerContext s)
    {
        app.MapGet(Route, (HttpContext http, string id) => ApiGuard.ProjectAsync(http, s, id, Access.Write, async (_, p) =>
        {
            var all = await s.Store.ListVariablesAsync(p.Id);
            var paging = Paging.From(http.Request);
            paging.WriteHeaders(http.Response, all.Count);
            return ApiJson.Ok(all.Skip(paging.Offset).Take(paging.PerPage).Select(ApiViews.Variable).ToList());
        }));
        app.MapGet(Route + "/{key}", (HttpContext http, string id, string key) => ApiGuard.ProjectAsync(http, s, id, Access.Write, async (_, p) =>
            await s.Store.GetVariableAsync(p.Id, key) is { } v ? ApiJson.Ok(ApiViews.Variable(v)) : ApiJson.NotFound("Variable")));
        app.MapPost(Route, (HttpContext http, string id) => ApiGuard.ProjectAsync(http, s, id, Access.Write, (_, p) => SaveAsync(http, s, p, null)))
            .DisableAntiforgery();
        app.MapPut(Route + "/{key}", (HttpContext http, string id, string key) => ApiGuard.ProjectAsync(http, s, id, Access.Write, (_, p) => SaveAsync(http, s, p, key)))
            .DisableAntiforgery();
        app.MapDelete(Route + "/{key}", (HttpContext http, string id, string key) => ApiGuard.ProjectAsync(http, s, id, Access.Write, async (_, p) =>
            await s.Store.DeleteVariableAsync(p.Id, key) ? Results.NoContent() : ApiJson.NotFound("Variable")));
    }

    /// <summary>Creates (<paramref name="existingKey"/> null: 201, or 400 when taken) or updates (200, or 404) a variable; unset fields keep their value.</summary>
    private static async Task<IResult> SaveAsync(HttpContext http, ServerContext s, ProjectRecord project, string? existingKey)
    {
        var f = await ApiParams.ReadAsync(http.Request);
        VariableRecord? before = null;
        if (existingKey is not null && (before = await s.Store.GetVariableAsync(project.Id, existingKey)) is null)
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
            return await s.Store.CreateVariableAsync(variable, s.Time.GetUtcNow())
                ? ApiJson.Ok(ApiViews.Variable(variable), StatusCodes.Status201Created)
                : ApiJson.Invalid("key", "(" + key + ") has already been taken");
        }

        await s.Store.UpdateVariableAsync(variable);
        return ApiJson.Ok(ApiViews.Variable(variable));
    }
}

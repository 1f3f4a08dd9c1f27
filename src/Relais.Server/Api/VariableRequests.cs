using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Relais.Server.Security;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// The CI/CD variable routes' work, the same for a project, a group and the instance: list, get, create, update and
/// delete, where a key is found by <c>filter[environment_scope]</c> (in the query, or a <c>filter</c> object in a JSON
/// body) and, without it, must be unique across scopes (409 otherwise, as GitLab). <paramref name="audited"/> names
/// the owner in the audit log (type, id, path); instance variables have no scope (always <c>*</c>).
/// </summary>
internal sealed class VariableRequests(AuditLog auditLog, IVariableStore store, TimeProvider time, VariableOwner owner, (string Type, long? Id, string? Path) audited)
{
    private const string Ambiguous = "There are multiple variables with provided parameters. Please use 'filter[environment_scope]'";

    private bool Scoped => owner.Level != VariableLevel.Instance;

    public async Task<IResult> ListAsync(HttpContext http)
    {
        var all = await store.ListVariablesAsync(owner, http.RequestAborted);
        var paging = Paging.From(http.Request);
        paging.WriteHeaders(http.Response, all.Count);
        return ApiJson.Ok(all.Skip(paging.Offset).Take(paging.PerPage).Select(ApiViews.Variable).ToList());
    }

    public async Task<IResult> GetAsync(HttpContext http, string key)
    {
        var (found, error) = await FindAsync(http, key, await ApiParams.ReadAsync(http.Request));
        return found is null ? error! : ApiJson.Ok(ApiViews.Variable(found));
    }

    public async Task<IResult> DeleteAsync(HttpContext http, ApiCaller caller, string key)
    {
        var (found, error) = await FindAsync(http, key, await ApiParams.ReadAsync(http.Request));
        if (found is null)
        {
            return error!;
        }

        await store.DeleteVariableAsync(owner, found.Key, found.EnvironmentScope, CancellationToken.None);
        await AuditAsync(http, caller, "variable_deleted", found);
        return Results.NoContent();
    }

    /// <summary>Creates (<paramref name="existingKey"/> null: 201, or 400 when taken) or updates (200, or 404) a variable; unset fields keep their value.</summary>
    public async Task<IResult> SaveAsync(HttpContext http, ApiCaller caller, string? existingKey)
    {
        var f = await ApiParams.ReadAsync(http.Request);
        VariableRecord? before = null;
        if (existingKey is not null)
        {
            (before, var error) = await FindAsync(http, existingKey, f);
            if (before is null)
            {
                return error!;
            }
        }

        var key = existingKey ?? f.GetValueOrDefault("key");
        if (string.IsNullOrEmpty(key) || (existingKey is null && !f.ContainsKey("value")))
        {
            return ApiJson.BadRequest(string.IsNullOrEmpty(key) ? "key is missing" : "value is missing");
        }

        var variable = new VariableRecord
        {
            ProjectId = owner.Id,
            Key = key,
            Value = f.GetValueOrDefault("value") ?? before?.Value ?? "",
            VariableType = f.GetValueOrDefault("variable_type") ?? before?.VariableType ?? "env_var",
            Protected = ApiParams.Bool(f, "protected") ?? before?.Protected ?? false,
            Masked = ApiParams.Bool(f, "masked") ?? before?.Masked ?? false,
            Raw = ApiParams.Bool(f, "raw") ?? before?.Raw ?? false,
            EnvironmentScope = (Scoped ? f.GetValueOrDefault("environment_scope") : null) ?? before?.EnvironmentScope ?? "*",
            Description = f.GetValueOrDefault("description") ?? before?.Description,
        };
        if (VariableRules.Check(variable.Key, variable.Value, variable.Masked, variable.VariableType) is { } problem)
        {
            return ApiJson.Invalid(problem.Field, problem.Problem);
        }

        if (variable.EnvironmentScope.Length is 0 or > 255)
        {
            return ApiJson.Invalid("environment_scope", "is invalid");
        }

        var taken = ApiJson.Invalid("key", $"({key}) has already been taken");
        if (before is null)
        {
            if (!await store.CreateVariableAsync(owner, variable, time.GetUtcNow(), CancellationToken.None))
            {
                return taken;
            }

            await AuditAsync(http, caller, "variable_created", variable);
            return ApiJson.Ok(ApiViews.Variable(variable), StatusCodes.Status201Created);
        }

        if (variable.EnvironmentScope != before.EnvironmentScope
            && (await store.ListVariablesAsync(owner, http.RequestAborted)).Any(v => v.Key == key && v.EnvironmentScope == variable.EnvironmentScope))
        {
            return taken;
        }

        await store.UpdateVariableAsync(owner, before.Key, before.EnvironmentScope, variable, CancellationToken.None);
        await AuditAsync(http, caller, "variable_updated", variable);
        return ApiJson.Ok(ApiViews.Variable(variable));
    }

    /// <summary>The variable <paramref name="key"/> in the requested scope, or the error to answer (404, or 409 when ambiguous).</summary>
    private async Task<(VariableRecord? Found, IResult? Error)> FindAsync(HttpContext http, string key, IReadOnlyDictionary<string, string> fields)
    {
        var scope = ScopeFilter(http.Request, fields);
        var matches = (await store.ListVariablesAsync(owner, http.RequestAborted))
            .Where(v => v.Key == key && (scope is null || v.EnvironmentScope == scope))
            .ToList();
        return matches.Count switch
        {
            0 => (null, ApiJson.NotFound("Variable")),
            1 => (matches[0], null),
            _ => (null, ApiJson.Error(StatusCodes.Status409Conflict, Ambiguous)),
        };
    }

    /// <summary><c>filter[environment_scope]</c> from the query, or from a JSON body's <c>filter</c> object; null when not given.</summary>
    private static string? ScopeFilter(HttpRequest request, IReadOnlyDictionary<string, string> fields)
    {
        if (request.Query["filter[environment_scope]"].ToString() is { Length: > 0 } inQuery)
        {
            return inQuery;
        }

        if (fields.TryGetValue("filter[environment_scope", out var inForm) && inForm.Length > 0)
        {
            return inForm;
        }

        if (fields.TryGetValue("filter", out var json) && json.StartsWith('{'))
        {
            try
            {
                using var doc = JsonDocument.Parse(json);
                return doc.RootElement.TryGetProperty("environment_scope", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            }
            catch (JsonException)
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>Audits a change: the key, scope and flags, never the value.</summary>
    private Task AuditAsync(HttpContext http, ApiCaller caller, string action, VariableRecord v) =>
        auditLog.RecordAsync(
            http, AuditActor.Of(caller.User), action, audited.Type, audited.Id, audited.Path,
            $"variable {v.Key}" + (v.EnvironmentScope == "*" ? "" : $" [{v.EnvironmentScope}]") + $" (protected: {v.Protected}, masked: {v.Masked})");
}

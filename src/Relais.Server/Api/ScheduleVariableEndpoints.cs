using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Auth;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// A pipeline schedule's variables in GitLab's shapes: <c>POST …/pipeline_schedules/:id/variables</c> (<c>key</c>,
/// <c>value</c>, <c>variable_type</c> <c>env_var</c> or <c>file</c>; 201), <c>GET/PUT …/variables/:key</c>, <c>DELETE
/// …/variables/:key</c> (202 with the deleted variable). The schedule's owner creates and edits them; the owner or a
/// Maintainer reads and deletes them. Each pipeline the schedule creates gets them, over the project's.
/// </summary>
internal sealed class ScheduleVariableEndpoints(ApiGuard guard, IScheduleStore store, ScheduleEndpoints schedules)
{
    private const string Route = ScheduleEndpoints.Route + "/{sid:long}/variables";

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapPost(Route, (HttpContext http, string id, long sid) => guard.ProjectAsync(http, id, AccessLevel.Developer, (c, p) =>
            schedules.WithScheduleAsync(http, p, sid, s => ScheduleEndpoints.IsOwner(c, s) ? CreateAsync(http, s) : Task.FromResult(ScheduleEndpoints.Forbidden())))).DisableAntiforgery();
        app.MapGet(Route + "/{key}", (HttpContext http, string id, long sid, string key) => guard.ProjectAsync(http, id, AccessLevel.Developer, (c, p) =>
            schedules.WithScheduleAsync(http, p, sid, async s =>
                !ScheduleEndpoints.CanAdmin(c, p, s) ? ScheduleEndpoints.Forbidden()
                : await FindAsync(s, key, http.RequestAborted) is { } v ? ApiJson.Ok(ScheduleViews.Variable(v)) : NotFound())));
        app.MapPut(Route + "/{key}", (HttpContext http, string id, long sid, string key) => guard.ProjectAsync(http, id, AccessLevel.Developer, (c, p) =>
            schedules.WithScheduleAsync(http, p, sid, s => ScheduleEndpoints.IsOwner(c, s) ? UpdateAsync(http, s, key) : Task.FromResult(ScheduleEndpoints.Forbidden())))).DisableAntiforgery();
        app.MapDelete(Route + "/{key}", (HttpContext http, string id, long sid, string key) => guard.ProjectAsync(http, id, AccessLevel.Developer, (c, p) =>
            schedules.WithScheduleAsync(http, p, sid, async s =>
            {
                if (!ScheduleEndpoints.CanAdmin(c, p, s))
                {
                    return ScheduleEndpoints.Forbidden();
                }

                if (await FindAsync(s, key, http.RequestAborted) is not { } v || !await store.DeleteScheduleVariableAsync(s.Id, key, CancellationToken.None))
                {
                    return NotFound();
                }

                return ApiJson.Ok(ScheduleViews.Variable(v), StatusCodes.Status202Accepted);
            })));
    }

    private static IResult NotFound() => ApiJson.NotFound("Pipeline Schedule Variable");

    private async Task<ScheduleVariableRecord?> FindAsync(PipelineScheduleRecord s, string key, CancellationToken cancel) =>
        (await store.ListScheduleVariablesAsync(s.Id, cancel)).FirstOrDefault(v => v.Key == key);

    private async Task<IResult> CreateAsync(HttpContext http, PipelineScheduleRecord s)
    {
        var f = await ApiParams.ReadAsync(http.Request);
        if (f.GetValueOrDefault("key") is not { Length: > 0 } key)
        {
            return TriggerEndpoints.MissingParameter("key");
        }

        if (f.GetValueOrDefault("value") is not { } value)
        {
            return TriggerEndpoints.MissingParameter("value");
        }

        if (Invalid(key, f.GetValueOrDefault("variable_type")) is { } invalid)
        {
            return invalid;
        }

        var variable = new ScheduleVariableRecord { ScheduleId = s.Id, Key = key, Value = value, VariableType = f.GetValueOrDefault("variable_type") is { Length: > 0 } t ? t : "env_var" };
        return await store.AddScheduleVariableAsync(variable, CancellationToken.None)
            ? ApiJson.Ok(ScheduleViews.Variable(variable), StatusCodes.Status201Created)
            : ApiJson.Invalid("key", $"({key}) has already been taken");
    }

    private async Task<IResult> UpdateAsync(HttpContext http, PipelineScheduleRecord s, string key)
    {
        var f = await ApiParams.ReadAsync(http.Request);
        if (await FindAsync(s, key, http.RequestAborted) is not { } existing)
        {
            return NotFound();
        }

        if (Invalid(key, f.GetValueOrDefault("variable_type")) is { } invalid)
        {
            return invalid;
        }

        var changed = existing with
        {
            Value = f.GetValueOrDefault("value") ?? existing.Value,
            VariableType = f.GetValueOrDefault("variable_type") is { Length: > 0 } t ? t : existing.VariableType,
        };
        await store.UpdateScheduleVariableAsync(changed, CancellationToken.None);
        return ApiJson.Ok(ScheduleViews.Variable(changed));
    }

    /// <summary>GitLab's answers to a key it does not take or a type it does not know; null when both are fine.</summary>
    private static IResult? Invalid(string key, string? type)
    {
        if (key.Length > 255 || !key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            return ApiJson.Invalid("key", "can contain only letters, digits and '_'.");
        }

        return type is null or "" or "env_var" or "file"
            ? null
            : ApiJson.Ok(new Dictionary<string, string> { ["error"] = "variable_type does not have a valid value" }, StatusCodes.Status400BadRequest);
    }
}

using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Pipelines.Context;
using Relais.Server.Auth;
using Relais.Server.Environments;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// Environments in GitLab's shapes: <c>GET/POST /projects/:id/environments</c> (<c>name</c>, <c>search</c>,
/// <c>states</c>, paginated), <c>GET/PUT/DELETE …/:environment_id</c>, <c>POST …/:environment_id/stop</c> (<c>force</c>)
/// and <c>POST …/environments/stop_stale</c> (<c>before</c>). As in GitLab: Reporters read, Developers create, update,
/// stop and delete (only a stopped environment: 403 otherwise), Maintainers stop stale ones; a CI/CD job token may call
/// every route. Stopping goes through <see cref="IEnvironmentActions"/>, as from the web UI.
/// </summary>
internal sealed class EnvironmentEndpoints(ApiGuard guard, AggregateStores stores, EnvironmentViews views, IEnvironmentActions actions, TimeProvider time)
{
    public const string Route = "/api/v4/projects/{id}/environments";

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(Route, (HttpContext http, string id) => guard.JobTokenProjectAsync(http, id, AccessLevel.Reporter, (_, p) => ListAsync(http, p)));
        app.MapGet(Route + "/{eid:long}", (HttpContext http, string id, long eid) => guard.JobTokenProjectAsync(http, id, AccessLevel.Reporter, (c, p) =>
            WithEnvironmentAsync(http, p, eid, async e => ApiJson.Ok(await views.DetailAsync(e, p, c, http.RequestAborted)))));
        app.MapPost(Route, (HttpContext http, string id) => guard.JobTokenProjectAsync(http, id, AccessLevel.Developer, (_, p) => CreateAsync(http, p))).DisableAntiforgery();
        app.MapPut(Route + "/{eid:long}", (HttpContext http, string id, long eid) => guard.JobTokenProjectAsync(http, id, AccessLevel.Developer, (_, p) =>
            WithEnvironmentAsync(http, p, eid, e => UpdateAsync(http, p, e)))).DisableAntiforgery();
        app.MapDelete(Route + "/{eid:long}", (HttpContext http, string id, long eid) => guard.JobTokenProjectAsync(http, id, AccessLevel.Developer, (_, p) =>
            WithEnvironmentAsync(http, p, eid, async e =>
            {
                if (e.State != EnvironmentStates.Stopped)
                {
                    return ApiJson.Error(StatusCodes.Status403Forbidden, "403 Forbidden");
                }

                await stores.Environments.DeleteAsync(e.Id, CancellationToken.None);
                return Results.NoContent();
            }))).DisableAntiforgery();
        app.MapPost(Route + "/{eid:long}/stop", (HttpContext http, string id, long eid) => guard.JobTokenProjectAsync(http, id, AccessLevel.Developer, (c, p) =>
            WithEnvironmentAsync(http, p, eid, e => StopAsync(http, c, p, e)))).DisableAntiforgery();
        app.MapPost(Route + "/stop_stale", (HttpContext http, string id) => guard.JobTokenProjectAsync(http, id, AccessLevel.Maintainer, (c, p) => StopStaleAsync(http, c, p))).DisableAntiforgery();
    }

    /// <summary>GitLab's answer to an id it cannot find (<c>ActiveRecord::RecordNotFound</c>).</summary>
    public static IResult NotFound() => ApiJson.Error(StatusCodes.Status404NotFound, "404 Not found");

    /// <summary>A grape parameter error: 400 <c>{"error": "…"}</c>.</summary>
    public static IResult ParameterError(string message) =>
        ApiJson.Ok(new Dictionary<string, string> { ["error"] = message }, StatusCodes.Status400BadRequest);

    private async Task<IResult> WithEnvironmentAsync(HttpContext http, ProjectRecord project, long eid, Func<EnvironmentRecord, Task<IResult>> act) =>
        await stores.Environments.GetAsync(eid, http.RequestAborted) is { } e && e.ProjectId == project.Id ? await act(e) : NotFound();

    private async Task<IResult> ListAsync(HttpContext http, ProjectRecord project)
    {
        var q = http.Request.Query;
        var name = q["name"].ToString() is { Length: > 0 } n ? n : null;
        var search = q["search"].ToString() is { Length: > 0 } s ? s : null;
        var state = q["states"].ToString() is { Length: > 0 } st ? st : null;
        if (name is not null && search is not null)
        {
            return ParameterError("name, search cannot be used together");
        }

        if (state is not null and not (EnvironmentStates.Available or EnvironmentStates.Stopping or EnvironmentStates.Stopped))
        {
            return ParameterError("states does not have a valid value");
        }

        if (search is not null && search.Length < EnvironmentInput.MinSearchLength)
        {
            return ApiJson.BadRequest($"Search query is less than {EnvironmentInput.MinSearchLength} characters");
        }

        var all = (await stores.Environments.ListAsync(project.Id, new EnvironmentFilter(name, search, state), http.RequestAborted))
            .Where(e => search is null || EnvironmentInput.MatchesSearch(e.Name, search))
            .OrderBy(e => e.Id)
            .ToList();
        var paging = Paging.From(http.Request);
        paging.WriteHeaders(http.Response, all.Count);
        return ApiJson.Ok(all.Skip(paging.Offset).Take(paging.PerPage).Select(e => views.Listed(e, project)).ToList());
    }

    private async Task<IResult> CreateAsync(HttpContext http, ProjectRecord project)
    {
        var f = await ApiParams.ReadAsync(http.Request);
        if (f.GetValueOrDefault("name") is not { Length: > 0 } name)
        {
            return ParameterError("name is missing");
        }

        if (f.ContainsKey("slug"))
        {
            return ParameterError("slug is automatically generated and cannot be changed");
        }

        var tier = f.GetValueOrDefault("tier");
        if (tier is not null && !EnvironmentInput.IsTier(tier))
        {
            return ParameterError("tier does not have a valid value");
        }

        var url = Url(f);
        if (EnvironmentInput.NameProblem(name) is { } nameProblem)
        {
            return ApiJson.Invalid("name", nameProblem);
        }

        if (EnvironmentInput.UrlProblem(url) is { } urlProblem)
        {
            return ApiJson.Invalid("external_url", urlProblem);
        }

        var made = await stores.Environments.CreateAsync(
            new EnvironmentRecord { ProjectId = project.Id, Name = name, Slug = EnvironmentSlug.Of(name), ExternalUrl = url, Tier = tier ?? EnvironmentTiers.Guess(name) },
            time.GetUtcNow(),
            CancellationToken.None);
        if (made is null)
        {
            return await stores.Environments.FindAsync(project.Id, name, CancellationToken.None) is null
                ? ApiJson.Invalid("slug", "has already been taken")
                : ApiJson.Invalid("name", "has already been taken");
        }

        return ApiJson.Ok(views.Listed(made, project), StatusCodes.Status201Created);
    }

    private async Task<IResult> UpdateAsync(HttpContext http, ProjectRecord project, EnvironmentRecord e)
    {
        var f = await ApiParams.ReadAsync(http.Request);
        if (f.ContainsKey("slug"))
        {
            return ParameterError("slug is automatically generated and cannot be changed");
        }

        var tier = f.GetValueOrDefault("tier");
        if (tier is not null && !EnvironmentInput.IsTier(tier))
        {
            return ParameterError("tier does not have a valid value");
        }

        var url = f.ContainsKey("external_url") ? Url(f) : e.ExternalUrl;
        if (EnvironmentInput.UrlProblem(url) is { } urlProblem)
        {
            return ApiJson.Invalid("external_url", urlProblem);
        }

        await stores.Environments.UpdateAsync(e with { ExternalUrl = url, Tier = tier ?? e.Tier }, time.GetUtcNow(), CancellationToken.None);
        return ApiJson.Ok(views.Listed((await stores.Environments.GetAsync(e.Id, CancellationToken.None))!, project));
    }

    private async Task<IResult> StopAsync(HttpContext http, ApiCaller caller, ProjectRecord project, EnvironmentRecord e)
    {
        var f = await ApiParams.ReadAsync(http.Request);
        // As GitLab, the answer is the environment whatever stopping did (an environment already stopping stays so).
        await actions.StopAsync(e, caller.User?.Id, ApiParams.Bool(f, "force") == true, CancellationToken.None);
        return ApiJson.Ok(views.Listed((await stores.Environments.GetAsync(e.Id, CancellationToken.None))!, project));
    }

    /// <summary>
    /// Stops the available environments not changed nor deployed to since <c>before</c> (between ten years and one week
    /// ago, GitLab's bounds): updated before it, and whose last deployment (if any) finished, or last moved, before it.
    /// </summary>
    private async Task<IResult> StopStaleAsync(HttpContext http, ApiCaller caller, ProjectRecord project)
    {
        var f = await ApiParams.ReadAsync(http.Request);
        if (f.GetValueOrDefault("before") is not { Length: > 0 } text)
        {
            return ParameterError("before is missing");
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var before))
        {
            return ParameterError("before is invalid");
        }

        var now = time.GetUtcNow();
        if (before < now.AddYears(-10) || before > now.AddDays(-7))
        {
            return ApiJson.BadRequest("Invalid Date");
        }

        var available = await stores.Environments.ListAsync(project.Id, new EnvironmentFilter(State: EnvironmentStates.Available), CancellationToken.None);
        foreach (var e in available.Where(e => e.UpdatedAt < before))
        {
            var last = await stores.Deployments.LastAsync(e.Id, cancel: CancellationToken.None);
            if (last is null || (last.FinishedAt ?? last.UpdatedAt) < before)
            {
                await actions.StopAsync(e, caller.User?.Id, false, CancellationToken.None);
            }
        }

        return ApiJson.Ok(new Dictionary<string, string> { ["message"] = "Successfully requested stop for all stale environments" });
    }

    private static string? Url(Dictionary<string, string> f) =>
        f.GetValueOrDefault("external_url") is { Length: > 0 } u && u != "null" ? u : null;
}

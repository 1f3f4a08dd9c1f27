using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Auth;
using Relais.Server.Security;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// Protected environments in GitLab's shapes (all Maintainer): <c>GET /projects/:id/protected_environments</c> (by name,
/// paginated), <c>GET …/:name</c>, <c>POST</c> (<c>name</c>, <c>deploy_access_levels</c> required,
/// <c>required_approval_count</c> 0 to 5; an existing name is 409), <c>PUT …/:name</c> (<c>required_approval_count</c>,
/// <c>deploy_access_levels</c> to add, or <c>id</c> with <c>_destroy</c> to remove) and <c>DELETE …/:name</c> (204).
/// A name is an exact environment name (URL-encoded in the path); an unknown one is 404 <c>404 Not found</c>.
/// Model errors are 422 with GitLab's full messages. Jobs are held to them by <c>Environments.ProtectedEnvironmentCheck</c>.
/// </summary>
internal sealed class ProtectedEnvironmentEndpoints(ApiGuard guard, AuditLog auditLog, AggregateStores stores, ProtectedEnvironmentViews views, TimeProvider time)
{
    private const string Route = "/api/v4/projects/{id}/protected_environments";

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(Route, (HttpContext http, string id) => guard.ProjectAsync(http, id, AccessLevel.Maintainer, (_, p) => ListAsync(http, p)));
        app.MapGet(Route + "/{name}", (HttpContext http, string id, string name) => guard.ProjectAsync(http, id, AccessLevel.Maintainer, (_, p) =>
            WithProtectedAsync(http, p, name, async e => ApiJson.Ok(await views.ViewAsync(e, http.RequestAborted)))));
        app.MapPost(Route, (HttpContext http, string id) => guard.ProjectAsync(http, id, AccessLevel.Maintainer, (c, p) => ProtectAsync(http, c, p)))
            .DisableAntiforgery();
        app.MapPut(Route + "/{name}", (HttpContext http, string id, string name) => guard.ProjectAsync(http, id, AccessLevel.Maintainer, (c, p) =>
            WithProtectedAsync(http, p, name, e => UpdateAsync(http, c, p, e)))).DisableAntiforgery();
        app.MapDelete(Route + "/{name}", (HttpContext http, string id, string name) => guard.ProjectAsync(http, id, AccessLevel.Maintainer, (c, p) =>
            WithProtectedAsync(http, p, name, e => UnprotectAsync(http, c, p, e)))).DisableAntiforgery();
    }

    private async Task<IResult> WithProtectedAsync(HttpContext http, ProjectRecord project, string name, Func<ProtectedEnvironmentRecord, Task<IResult>> act) =>
        await stores.ProtectedEnvironments.FindAsync(project.Id, Uri.UnescapeDataString(name), http.RequestAborted) is { } e
            ? await act(e)
            : ApiJson.Error(StatusCodes.Status404NotFound, "404 Not found");

    private async Task<IResult> ListAsync(HttpContext http, ProjectRecord project)
    {
        var paging = Paging.From(http.Request);
        var (page, total) = await stores.ProtectedEnvironments.ListAsync(project.Id, paging.Offset, paging.PerPage, http.RequestAborted);
        paging.WriteHeaders(http.Response, total);
        var list = new List<Dictionary<string, object?>>();
        foreach (var e in page)
        {
            list.Add(await views.ViewAsync(e, http.RequestAborted));
        }

        return ApiJson.Ok(list);
    }

    private async Task<IResult> ProtectAsync(HttpContext http, ApiCaller caller, ProjectRecord project)
    {
        var f = await ApiParams.ReadAsync(http.Request);
        var missing = new[] { "name", ProtectedEnvironmentInput.Field }.Where(k => string.IsNullOrEmpty(f.GetValueOrDefault(k)) && !f.Keys.Any(x => x.StartsWith(k + "[", StringComparison.Ordinal))).ToList();
        if (missing.Count > 0)
        {
            return EnvironmentEndpoints.ParameterError(string.Join(", ", missing) + (missing.Count == 1 ? " is missing" : " are missing"));
        }

        var name = f["name"];
        var (entries, error) = ProtectedEnvironmentInput.Read(f, update: false);
        if (error is not null || !ProtectedEnvironmentInput.TryApprovalCount(f, out var count))
        {
            return EnvironmentEndpoints.ParameterError(error ?? "required_approval_count is invalid");
        }

        if (await stores.ProtectedEnvironments.FindAsync(project.Id, name, http.RequestAborted) is not null)
        {
            return ApiJson.Error(StatusCodes.Status409Conflict, $"Protected environment '{name}' already exists");
        }

        var record = new ProtectedEnvironmentRecord
        {
            ProjectId = project.Id,
            Name = name,
            RequiredApprovalCount = count ?? 0,
            DeployAccessLevels = [.. entries.Select(ProtectedEnvironmentInput.Record)],
        };
        if (await ProblemsAsync(record, http.RequestAborted) is { Count: > 0 } problems)
        {
            return Unprocessable(problems);
        }

        if (await stores.ProtectedEnvironments.CreateAsync(record, time.GetUtcNow(), CancellationToken.None) is not { } made)
        {
            return ApiJson.Error(StatusCodes.Status409Conflict, $"Protected environment '{name}' already exists");
        }

        await auditLog.RecordAsync(http, AuditActor.Of(caller.User), "protected_environment_created", "Project", project.Id, project.Path, name);
        return ApiJson.Ok(await views.ViewAsync(made, CancellationToken.None), StatusCodes.Status201Created);
    }

    private async Task<IResult> UpdateAsync(HttpContext http, ApiCaller caller, ProjectRecord project, ProtectedEnvironmentRecord current)
    {
        var f = await ApiParams.ReadAsync(http.Request);
        var (entries, error) = ProtectedEnvironmentInput.Read(f, update: true);
        if (error is not null || !ProtectedEnvironmentInput.TryApprovalCount(f, out var count))
        {
            return EnvironmentEndpoints.ParameterError(error ?? "required_approval_count is invalid");
        }

        var removed = entries.Where(e => e.Destroy && e.Id is not null).Select(e => e.Id!.Value).ToHashSet();
        var record = current with
        {
            RequiredApprovalCount = count ?? current.RequiredApprovalCount,
            DeployAccessLevels =
            [
                .. current.DeployAccessLevels.Where(l => !removed.Contains(l.Id)),
                .. entries.Where(e => e.Id is null && !e.Destroy).Select(ProtectedEnvironmentInput.Record),
            ],
        };
        if (await ProblemsAsync(record, http.RequestAborted) is { Count: > 0 } problems)
        {
            return Unprocessable(problems);
        }

        await stores.ProtectedEnvironments.UpdateAsync(record, CancellationToken.None);
        await auditLog.RecordAsync(http, AuditActor.Of(caller.User), "protected_environment_updated", "Project", project.Id, project.Path, current.Name);
        var saved = await stores.ProtectedEnvironments.FindAsync(project.Id, current.Name, CancellationToken.None);
        return saved is null ? ApiJson.Error(StatusCodes.Status404NotFound, "404 Not found") : ApiJson.Ok(await views.ViewAsync(saved, CancellationToken.None));
    }

    private async Task<IResult> UnprotectAsync(HttpContext http, ApiCaller caller, ProjectRecord project, ProtectedEnvironmentRecord e)
    {
        await stores.ProtectedEnvironments.DeleteAsync(e.Id, CancellationToken.None);
        await auditLog.RecordAsync(http, AuditActor.Of(caller.User), "protected_environment_deleted", "Project", project.Id, project.Path, e.Name);
        return Results.NoContent();
    }

    /// <summary>GitLab's model errors, as full messages: at least one deploy access level, 0 to 5 approvals, users and groups that exist.</summary>
    private async Task<List<string>> ProblemsAsync(ProtectedEnvironmentRecord e, CancellationToken cancel)
    {
        var problems = new List<string>();
        if (e.DeployAccessLevels.Count == 0)
        {
            problems.Add("Deploy access levels is too short (minimum is 1 character)");
        }

        if (e.RequiredApprovalCount is < 0 or > 5)
        {
            problems.Add(e.RequiredApprovalCount < 0 ? "Required approval count must be greater than or equal to 0" : "Required approval count must be less than or equal to 5");
        }

        foreach (var l in e.DeployAccessLevels.Where(l => l.Id == 0))
        {
            if (l is { AccessLevel: null, UserId: null, GroupId: null })
            {
                problems.Add("Deploy access levels access level can't be blank");
            }

            if (l.UserId is { } user && await stores.Identity.GetUserAsync(user, cancel) is null)
            {
                problems.Add("Deploy access levels user must exist");
            }

            if (l.GroupId is { } group && await stores.Groups.GetGroupAsync(group, cancel) is null)
            {
                problems.Add("Deploy access levels group must exist");
            }
        }

        return problems;
    }

    private static IResult Unprocessable(List<string> problems) =>
        ApiJson.Ok(new Dictionary<string, object> { ["message"] = problems }, StatusCodes.Status422UnprocessableEntity);
}

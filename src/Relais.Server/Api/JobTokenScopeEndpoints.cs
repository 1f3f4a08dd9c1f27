using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Auth;
using Relais.Server.Git;
using Relais.Server.Security;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>A project's CI/CD job token settings as GitLab shows them (the outbound scope is gone: always false).</summary>
public sealed record JobTokenScopeView(bool InboundEnabled, bool OutboundEnabled);

/// <summary>What <c>POST …/job_token_scope/allowlist</c> answers: the project whose list grew and the project added.</summary>
public sealed record AllowlistEntryView(long SourceProjectId, long TargetProjectId);

/// <summary>
/// The CI/CD job token scope API in GitLab's shapes, for Maintainers, over <see cref="IJobTokenScopeStore"/>:
/// <c>GET/PATCH /projects/:id/job_token_scope</c> (PATCH takes <c>enabled</c>, answers 204) and
/// <c>GET/POST /projects/:id/job_token_scope/allowlist</c>, <c>DELETE …/allowlist/:target_project_id</c> (the projects
/// whose jobs' tokens may reach this one). Changes are audited.
/// </summary>
internal sealed class JobTokenScopeEndpoints(ApiGuard guard, AuditLog auditLog, IJobTokenScopeStore scopes, IProjectStore projects, CloneUrls urls, TimeProvider time)
{
    private const string Route = "/api/v4/projects/{id}/job_token_scope";

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(Route, (HttpContext http, string id) => guard.ProjectAsync(http, id, AccessLevel.Maintainer, async (_, p) =>
            ApiJson.Ok(new JobTokenScopeView(await scopes.IsEnabledAsync(p.Id, http.RequestAborted), false))));
        app.MapMethods(Route, ["PATCH"], (HttpContext http, string id) => guard.ProjectAsync(http, id, AccessLevel.Maintainer, async (c, p) =>
        {
            var fields = await ApiParams.ReadAsync(http.Request);
            if (ApiParams.Bool(fields, "enabled") is not { } enabled)
            {
                return TriggerEndpoints.MissingParameter("enabled");
            }

            await scopes.SetEnabledAsync(p.Id, enabled, CancellationToken.None);
            await auditLog.RecordAsync(http, AuditActor.Of(c.User), "job_token_scope_changed", "Project", p.Id, p.Path, enabled ? "limited to the allowlist" : "open to every project");
            return Results.NoContent();
        })).DisableAntiforgery();
        app.MapGet(Route + "/allowlist", (HttpContext http, string id) => guard.ProjectAsync(http, id, AccessLevel.Maintainer, async (_, p) =>
        {
            var allowed = await scopes.ListAllowedAsync(p.Id, http.RequestAborted);
            var paging = Paging.From(http.Request);
            paging.WriteHeaders(http.Response, allowed.Count);
            var views = new List<ProjectView>();
            foreach (var projectId in allowed.Skip(paging.Offset).Take(paging.PerPage))
            {
                if (await projects.GetProjectAsync(projectId, http.RequestAborted) is { } target)
                {
                    views.Add(ApiViews.Project(target, urls));
                }
            }

            return ApiJson.Ok(views);
        }));
        app.MapPost(Route + "/allowlist", (HttpContext http, string id) => guard.ProjectAsync(http, id, AccessLevel.Maintainer, async (c, p) =>
        {
            var fields = await ApiParams.ReadAsync(http.Request);
            if (!long.TryParse(fields.GetValueOrDefault("target_project_id"), NumberStyles.None, CultureInfo.InvariantCulture, out var targetId))
            {
                return TriggerEndpoints.MissingParameter("target_project_id");
            }

            if (await projects.GetProjectAsync(targetId, http.RequestAborted) is not { } target || !c.CanSee(target))
            {
                return ApiJson.NotFound("Project");
            }

            if (!await scopes.AddAllowedAsync(p.Id, target.Id, time.GetUtcNow(), CancellationToken.None))
            {
                return ApiJson.Error(StatusCodes.Status400BadRequest, "Target project is already in the job token scope");
            }

            await auditLog.RecordAsync(http, AuditActor.Of(c.User), "job_token_allowlist_added", "Project", p.Id, p.Path, $"project {target.Id} {target.Path}");
            return ApiJson.Ok(new AllowlistEntryView(p.Id, target.Id), StatusCodes.Status201Created);
        })).DisableAntiforgery();
        app.MapDelete(Route + "/allowlist/{target:long}", (HttpContext http, string id, long target) => guard.ProjectAsync(http, id, AccessLevel.Maintainer, async (c, p) =>
        {
            if (!await scopes.RemoveAllowedAsync(p.Id, target, CancellationToken.None))
            {
                return ApiJson.Error(StatusCodes.Status400BadRequest, "Target project is not in the job token scope");
            }

            await auditLog.RecordAsync(http, AuditActor.Of(c.User), "job_token_allowlist_removed", "Project", p.Id, p.Path, $"project {target}");
            return Results.NoContent();
        }));
    }
}

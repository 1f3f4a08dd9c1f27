using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Auth;
using Relais.Server.Security;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// Enabling project runners in more projects: <c>POST /projects/:id/runners</c> (<c>runner_id</c>; the caller must be
/// able to change that runner, and it must be an unlocked project runner) and <c>DELETE /projects/:id/runners/:runner_id</c>
/// (not the last project it is in: delete the runner instead). Both need Maintainer on the project.
/// </summary>
internal sealed class ProjectRunnerEndpoints(ApiGuard guard, RunnerAccess access, AuditLog auditLog, IRunnerStore runnerStore, TimeProvider time)
{
    public void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v4/projects/{id}/runners", (HttpContext http, string id) => guard.ProjectAsync(http, id, AccessLevel.Maintainer, async (c, p) =>
        {
            var f = await ApiParams.ReadAsync(http.Request);
            if (!long.TryParse(f.GetValueOrDefault("runner_id"), NumberStyles.None, CultureInfo.InvariantCulture, out var runnerId))
            {
                return ApiJson.BadRequest("runner_id is missing");
            }

            if (await access.LoadAsync(runnerId, http.RequestAborted) is not { } owned)
            {
                return ApiJson.NotFound("Runner");
            }

            if (owned.Runner.RunnerType != RunnerTypes.Project || (owned.Runner.Locked && !c.IsAdmin) || !RunnerAccess.CanChange(c, owned))
            {
                return ApiJson.Error(StatusCodes.Status403Forbidden, "403 Forbidden");
            }

            if (!await runnerStore.EnableRunnerAsync(runnerId, p.Id, time.GetUtcNow(), CancellationToken.None))
            {
                return ApiJson.BadRequest("Runner was already enabled for this project");
            }

            await auditLog.RecordAsync(http, AuditActor.Of(c.User), "runner_enabled", "Project", p.Id, p.Path, $"runner #{runnerId}");
            return ApiJson.Ok(ApiViews.Runner(owned.Runner, time.GetUtcNow()), StatusCodes.Status201Created);
        })).DisableAntiforgery();
        app.MapDelete("/api/v4/projects/{id}/runners/{rid:long}", (HttpContext http, string id, long rid) => guard.ProjectAsync(http, id, AccessLevel.Maintainer, async (c, p) =>
        {
            if (await access.LoadAsync(rid, http.RequestAborted) is not { } owned || owned.Projects.All(x => x.Id != p.Id))
            {
                return ApiJson.NotFound("Runner");
            }

            if (owned.Projects.Count == 1)
            {
                return ApiJson.Error(StatusCodes.Status403Forbidden, "403 Forbidden - Only one project associated with the runner. Please remove the runner instead");
            }

            await runnerStore.DisableRunnerAsync(rid, p.Id, CancellationToken.None);
            await auditLog.RecordAsync(http, AuditActor.Of(c.User), "runner_disabled", "Project", p.Id, p.Path, $"runner #{rid}");
            return Results.NoContent();
        }));
    }
}

using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Protocol;
using Relais.Server.Security;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// One runner: <c>GET/PUT/DELETE /runners/:id</c> and <c>GET /runners/:id/jobs</c>, for whoever <see cref="RunnerAccess"/>
/// lets see or change it (404 for no such runner, 403 for one the caller may not see or change, as GitLab).
/// </summary>
internal sealed class RunnerItemEndpoints(ApiGuard guard, RunnerAccess access, AuditLog auditLog, IRunnerStore runnerStore, JobViews jobViews, string externalUrl, TimeProvider time)
{
    private static readonly HashSet<string> JobStatuses = new(StringComparer.Ordinal) { "running", "success", "failed", "canceled" };

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v4/runners/{rid:long}", (HttpContext http, long rid) => WithRunnerAsync(http, rid, change: false, (_, r) =>
            Task.FromResult(ApiJson.Ok(Detail(r)))));
        app.MapPut("/api/v4/runners/{rid:long}", (HttpContext http, long rid) => WithRunnerAsync(http, rid, change: true, (c, r) => UpdateAsync(http, c, r)))
            .DisableAntiforgery();
        app.MapDelete("/api/v4/runners/{rid:long}", (HttpContext http, long rid) => WithRunnerAsync(http, rid, change: true, async (c, r) =>
        {
            await runnerStore.DeleteRunnerAsync(r.Runner.Id, CancellationToken.None);
            await auditLog.RecordAsync(http, AuditActor.Of(c.User), "runner_deleted", "Runner", r.Runner.Id, r.Runner.Description);
            return Results.NoContent();
        }));
        app.MapGet("/api/v4/runners/{rid:long}/jobs", (HttpContext http, long rid) => WithRunnerAsync(http, rid, change: false, (c, r) => JobsAsync(http, c, r)));
    }

    private Task<IResult> WithRunnerAsync(HttpContext http, long id, bool change, Func<ApiCaller, RunnerAccess.Owned, Task<IResult>> handler) =>
        guard.UserAsync(http, required: true, async c =>
        {
            if (await access.LoadAsync(id, http.RequestAborted) is not { } runner)
            {
                return ApiJson.NotFound("Runner");
            }

            return !RunnerAccess.CanSee(c, runner) || (change && !RunnerAccess.CanChange(c, runner))
                ? ApiJson.Error(StatusCodes.Status403Forbidden, "403 Forbidden - No access granted")
                : await handler(c, runner);
        });

    private async Task<IResult> UpdateAsync(HttpContext http, ApiCaller caller, RunnerAccess.Owned owned)
    {
        var f = await ApiParams.ReadAsync(http.Request);
        var r = owned.Runner;
        var paused = ApiParams.Bool(f, "paused") ?? (ApiParams.Bool(f, "active") is { } active ? !active : r.Paused);
        var accessLevel = f.GetValueOrDefault("access_level") ?? r.AccessLevel;
        if (accessLevel is not ("not_protected" or "ref_protected"))
        {
            return ApiJson.Ok(new Dictionary<string, string> { ["error"] = "access_level does not have a valid value" }, StatusCodes.Status400BadRequest);
        }

        var timeout = r.MaximumTimeout;
        if (f.TryGetValue("maximum_timeout", out var t))
        {
            if (t.Length == 0)
            {
                timeout = null;
            }
            else if (!int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds < 600)
            {
                return ApiJson.Invalid("maximum_timeout", "needs to be at least 10 minutes");
            }
            else
            {
                timeout = seconds;
            }
        }

        var updated = r with
        {
            Description = f.GetValueOrDefault("description") ?? r.Description,
            Tags = f.TryGetValue("tag_list", out var tags) ? Storage.Tags.Join(Storage.Tags.Split(tags)) : r.Tags,
            RunUntagged = ApiParams.Bool(f, "run_untagged") ?? r.RunUntagged,
            Locked = ApiParams.Bool(f, "locked") ?? r.Locked,
            Paused = paused,
            AccessLevel = accessLevel,
            MaximumTimeout = timeout,
        };
        if (!updated.RunUntagged && updated.TagList.Count == 0)
        {
            return ApiJson.Invalid("tags_list", "can not be empty when runner is not allowed to pick untagged jobs");
        }

        await runnerStore.UpdateRunnerAsync(updated, CancellationToken.None);
        await auditLog.RecordAsync(http, AuditActor.Of(caller.User), "runner_updated", "Runner", r.Id, updated.Description, "tags: " + updated.Tags + (updated.Paused ? ", paused" : ""));
        return ApiJson.Ok(Detail(owned with { Runner = updated }));
    }

    private async Task<IResult> JobsAsync(HttpContext http, ApiCaller caller, RunnerAccess.Owned owned)
    {
        var q = http.Request.Query;
        var status = q["status"].ToString();
        if (status.Length > 0 && !JobStatuses.Contains(status))
        {
            return ApiJson.Ok(new Dictionary<string, string> { ["error"] = "status does not have a valid value" }, StatusCodes.Status400BadRequest);
        }

        var sort = q["sort"].ToString();
        if ((sort.Length > 0 && sort is not ("asc" or "desc")) || (q["order_by"].ToString() is { Length: > 0 } order && order != "id"))
        {
            return ApiJson.Ok(new Dictionary<string, string> { ["error"] = sort is "asc" or "desc" or "" ? "order_by does not have a valid value" : "sort does not have a valid value" }, StatusCodes.Status400BadRequest);
        }

        var jobs = (await runnerStore.RunnerJobsAsync(owned.Runner.Id, http.RequestAborted))
            .Where(j => status.Length == 0 || j.Status.ToGitLab() == status)
            .ToList();
        if (sort == "asc")
        {
            jobs.Reverse();
        }

        var projects = new Dictionary<long, ProjectRecord?>();
        var visible = new List<JobRecord>();
        foreach (var job in jobs)
        {
            if (!projects.TryGetValue(job.ProjectId, out var project))
            {
                project = projects[job.ProjectId] = await access.ProjectAsync(job.ProjectId, http.RequestAborted);
            }

            if (project is not null && (caller.IsAdmin || caller.CanRead(project)))
            {
                visible.Add(job);
            }
        }

        var paging = Paging.From(http.Request);
        paging.WriteHeaders(http.Response, visible.Count);
        var builders = new Dictionary<long, JobViewBuilder>();
        var views = new List<JobView>();
        foreach (var job in visible.Skip(paging.Offset).Take(paging.PerPage))
        {
            if (!builders.TryGetValue(job.ProjectId, out var builder))
            {
                builder = builders[job.ProjectId] = jobViews.Builder(projects[job.ProjectId]!, caller);
            }

            views.Add(await builder.BuildAsync(job, retried: false, http.RequestAborted));
        }

        return ApiJson.Ok(views);
    }

    private RunnerDetailView Detail(RunnerAccess.Owned owned)
    {
        var r = owned.Runner;
        var now = time.GetUtcNow();
        return new RunnerDetailView(
            r.Id, r.Description, null, !r.Paused, r.Paused, r.RunnerType == RunnerTypes.Instance, r.RunnerType, r.Description, RunnerStatus.IsOnline(r, now),
            RunnerStatus.Of(r, now), r.TagList, r.RunUntagged, r.Locked, ApiJson.Time(RunnerStatus.ContactedAt(r)), r.CreatedAt is null ? null : ApiJson.Time(r.CreatedAt),
            r.AccessLevel, r.MaximumTimeout, null,
            [.. owned.Projects.Select(p => new RunnerProjectView(p.Id, p.Name, p.Path.Replace("/", " / ", StringComparison.Ordinal), p.Name, p.Path))],
            owned.Group is { } g ? [new RunnerGroupView(g.Id, g.Name, $"{externalUrl}/groups/{g.FullPath}")] : []);
    }
}

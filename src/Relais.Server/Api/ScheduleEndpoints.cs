using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Auth;
using Relais.Server.Pipelines;
using Relais.Server.Security;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// Pipeline schedules in GitLab's shapes: <c>GET/POST /projects/:id/pipeline_schedules</c>, <c>GET/PUT/DELETE …/:schedule_id</c>,
/// <c>POST …/take_ownership</c>, <c>POST …/play</c> (runs now, 201) and <c>GET …/pipelines</c>. Reporters read; Developers
/// create and play; only the owner edits (a Maintainer takes ownership first, as in GitLab); the owner or a Maintainer
/// deletes. A cron expression or time zone that cannot be read is 400 on its field. <see cref="ScheduleVariableEndpoints"/>
/// has the variables.
/// </summary>
internal sealed class ScheduleEndpoints(
    ApiGuard guard, AuditLog auditLog, IScheduleStore store, IPipelineStore pipelines, ScheduleViews views, ScheduledPipelines runs, string externalUrl, TimeProvider time)
{
    public const string Route = "/api/v4/projects/{id}/pipeline_schedules";

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(Route, (HttpContext http, string id) => guard.ProjectAsync(http, id, AccessLevel.Reporter, (_, p) => ListAsync(http, p)));
        app.MapGet(Route + "/{sid:long}", (HttpContext http, string id, long sid) => guard.ProjectAsync(http, id, AccessLevel.Reporter, (c, p) =>
            WithScheduleAsync(http, p, sid, async s => ApiJson.Ok(await views.DetailAsync(s, p, CanAdmin(c, p, s), http.RequestAborted)))));
        app.MapPost(Route, (HttpContext http, string id) => guard.ProjectAsync(http, id, AccessLevel.Developer, (c, p) => CreateAsync(http, c, p))).DisableAntiforgery();
        app.MapPut(Route + "/{sid:long}", (HttpContext http, string id, long sid) => guard.ProjectAsync(http, id, AccessLevel.Developer, (c, p) =>
            WithScheduleAsync(http, p, sid, s => IsOwner(c, s) ? UpdateAsync(http, c, p, s) : Task.FromResult(Forbidden())))).DisableAntiforgery();
        app.MapDelete(Route + "/{sid:long}", (HttpContext http, string id, long sid) => guard.ProjectAsync(http, id, AccessLevel.Developer, (c, p) =>
            WithScheduleAsync(http, p, sid, async s =>
            {
                if (!CanAdmin(c, p, s))
                {
                    return Forbidden();
                }

                await store.DeleteScheduleAsync(p.Id, s.Id, CancellationToken.None);
                await auditLog.RecordAsync(http, AuditActor.Of(c.User), "pipeline_schedule_deleted", "Project", p.Id, p.Path, $"schedule {s.Id} ({s.Description})");
                return Results.NoContent();
            })));
        app.MapPost(Route + "/{sid:long}/take_ownership", (HttpContext http, string id, long sid) => guard.ProjectAsync(http, id, AccessLevel.Maintainer, (c, p) =>
            WithScheduleAsync(http, p, sid, async s =>
            {
                if (s.OwnerId == c.User!.Id)
                {
                    return ApiJson.Ok(await views.DetailAsync(s, p, true, http.RequestAborted));
                }

                var owned = s with { OwnerId = c.User.Id };
                await store.UpdateScheduleAsync(owned, time.GetUtcNow(), CancellationToken.None);
                await auditLog.RecordAsync(http, AuditActor.Of(c.User), "pipeline_schedule_owned", "Project", p.Id, p.Path, $"schedule {s.Id}, owner before: user {s.OwnerId}");
                return ApiJson.Ok(await views.DetailAsync((await store.GetScheduleAsync(p.Id, s.Id, CancellationToken.None))!, p, true, http.RequestAborted), StatusCodes.Status201Created);
            }))).DisableAntiforgery();
        app.MapPost(Route + "/{sid:long}/play", (HttpContext http, string id, long sid) => guard.ProjectAsync(http, id, AccessLevel.Developer, (_, p) =>
            WithScheduleAsync(http, p, sid, async s => (await runs.RunAsync(s, http.RequestAborted)).Outcome switch
            {
                ScheduleOutcome.NoRef => ApiJson.Invalid("base", "Reference not found"),
                ScheduleOutcome.OwnerNotAllowed => ApiJson.Error(StatusCodes.Status403Forbidden, "403 Forbidden - the schedule's owner may not run pipelines in this project; the schedule was deactivated"),
                _ => ApiJson.Error(StatusCodes.Status201Created, "201 Created"),
            }))).DisableAntiforgery();
        app.MapGet(Route + "/{sid:long}/pipelines", (HttpContext http, string id, long sid) => guard.ProjectAsync(http, id, AccessLevel.Reporter, (_, p) =>
            WithScheduleAsync(http, p, sid, s => PipelinesAsync(http, p, s))));
    }

    /// <summary>Finds the schedule in the project (GitLab's 404 otherwise) and answers with <paramref name="act"/>.</summary>
    public async Task<IResult> WithScheduleAsync(HttpContext http, ProjectRecord project, long sid, Func<PipelineScheduleRecord, Task<IResult>> act)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(act);
        return await store.GetScheduleAsync(project!.Id, sid, http.RequestAborted) is { } s ? await act(s) : ApiJson.NotFound("Pipeline Schedule");
    }

    /// <summary>The schedule's owner (an administrator counts as every owner): edits the schedule and its variables.</summary>
    public static bool IsOwner(ApiCaller caller, PipelineScheduleRecord s) => caller.IsAdmin || caller.User?.Id == s.OwnerId;

    /// <summary>The owner or a Maintainer: deletes, and reads the variables.</summary>
    public static bool CanAdmin(ApiCaller caller, ProjectRecord project, PipelineScheduleRecord s) => IsOwner(caller, s) || caller.Has(project, AccessLevel.Maintainer);

    public static IResult Forbidden() => ApiJson.Error(StatusCodes.Status403Forbidden, "403 Forbidden");

    private async Task<IResult> ListAsync(HttpContext http, ProjectRecord project)
    {
        var scope = http.Request.Query["scope"].ToString();
        if (scope is not ("" or "active" or "inactive"))
        {
            return ApiJson.Ok(new Dictionary<string, string> { ["error"] = "scope does not have a valid value" }, StatusCodes.Status400BadRequest);
        }

        var all = await store.ListSchedulesAsync(project.Id, scope.Length == 0 ? null : scope == "active", http.RequestAborted);
        var paging = Paging.From(http.Request);
        paging.WriteHeaders(http.Response, all.Count);
        var list = new List<ScheduleView>();
        foreach (var s in all.Skip(paging.Offset).Take(paging.PerPage))
        {
            list.Add(await views.ListedAsync(s, http.RequestAborted));
        }

        return ApiJson.Ok(list);
    }

    private async Task<IResult> CreateAsync(HttpContext http, ApiCaller caller, ProjectRecord project)
    {
        var f = await ApiParams.ReadAsync(http.Request);
        foreach (var required in (string[])["description", "ref", "cron"])
        {
            if (f.GetValueOrDefault(required) is not { Length: > 0 })
            {
                return TriggerEndpoints.MissingParameter(required);
            }
        }

        var schedule = new PipelineScheduleRecord
        {
            ProjectId = project.Id,
            OwnerId = caller.User!.Id,
            Description = f["description"],
            Ref = f["ref"],
            Cron = f["cron"],
            CronTimezone = f.GetValueOrDefault("cron_timezone") is { Length: > 0 } zone ? zone : "UTC",
            Active = ApiParams.Bool(f, "active") ?? true,
        };
        if (Timed(schedule) is not { } timed)
        {
            return InvalidTiming(schedule);
        }

        var added = await store.AddScheduleAsync(timed, time.GetUtcNow(), CancellationToken.None);
        await auditLog.RecordAsync(http, AuditActor.Of(caller.User), "pipeline_schedule_created", "Project", project.Id, project.Path, $"schedule {added.Id} ({added.Description}): {added.Cron} {added.CronTimezone} on {added.Ref}");
        return ApiJson.Ok(await views.DetailAsync(added, project, true, http.RequestAborted), StatusCodes.Status201Created);
    }

    private async Task<IResult> UpdateAsync(HttpContext http, ApiCaller caller, ProjectRecord project, PipelineScheduleRecord s)
    {
        var f = await ApiParams.ReadAsync(http.Request);
        var changed = s with
        {
            Description = f.GetValueOrDefault("description") ?? s.Description,
            Ref = f.GetValueOrDefault("ref") is { Length: > 0 } r ? r : s.Ref,
            Cron = f.GetValueOrDefault("cron") ?? s.Cron,
            CronTimezone = f.GetValueOrDefault("cron_timezone") ?? s.CronTimezone,
            Active = ApiParams.Bool(f, "active") ?? s.Active,
        };
        if (Timed(changed) is not { } timed)
        {
            return InvalidTiming(changed);
        }

        await store.UpdateScheduleAsync(timed, time.GetUtcNow(), CancellationToken.None);
        await auditLog.RecordAsync(http, AuditActor.Of(caller.User), "pipeline_schedule_updated", "Project", project.Id, project.Path, $"schedule {s.Id}");
        return ApiJson.Ok(await views.DetailAsync((await store.GetScheduleAsync(project.Id, s.Id, CancellationToken.None))!, project, true, http.RequestAborted));
    }

    /// <summary>The schedule with its next run computed from now (an edit reschedules it, as in GitLab); null when its cron or zone cannot be read.</summary>
    private PipelineScheduleRecord? Timed(PipelineScheduleRecord s)
    {
        var (cron, _) = ScheduleCron.Parse(s.Cron, s.CronTimezone);
        return cron is null ? null : s with { NextRunAt = cron.NextAfter(time.GetUtcNow()) is { } next ? SqlKeyStore.StoredTime(next) : null };
    }

    private static IResult InvalidTiming(PipelineScheduleRecord s) =>
        ApiJson.Invalid(ScheduleCron.Parse(s.Cron, s.CronTimezone).BadField ?? "cron", ScheduleCron.InvalidSyntax);

    private async Task<IResult> PipelinesAsync(HttpContext http, ProjectRecord project, PipelineScheduleRecord s)
    {
        var ids = await store.ListScheduleRunsAsync(s.Id, http.RequestAborted);
        var ordered = http.Request.Query["sort"].ToString() == "desc" ? ids.Reverse().ToList() : ids;
        var paging = Paging.From(http.Request);
        paging.WriteHeaders(http.Response, ordered.Count);
        var list = new List<PipelineView>();
        foreach (var pid in ordered.Skip(paging.Offset).Take(paging.PerPage))
        {
            if (await pipelines.GetPipelineAsync(pid, http.RequestAborted) is { } row)
            {
                list.Add(ApiViews.Pipeline(row, project, externalUrl));
            }
        }

        return ApiJson.Ok(list);
    }
}

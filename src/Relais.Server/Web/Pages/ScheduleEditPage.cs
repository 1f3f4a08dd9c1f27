using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Api;
using Relais.Server.Auth;
using Relais.Server.Pipelines;
using Relais.Server.Security;
using Relais.Server.Storage;
using Relais.Server.Web.Html;

namespace Relais.Server.Web.Pages;

/// <summary>
/// A pipeline schedule's edit page (<c>/GROUP/PROJECT/-/pipeline_schedules/:id/edit</c>): description, cron, time zone,
/// ref, active and its variables (<c>KEY=VALUE</c> lines, replacing the old ones). The rules are the REST API's
/// (<see cref="ScheduleEndpoints"/>): only the owner (or an administrator) edits; a Maintainer may take ownership
/// (<c>…/take_ownership</c>); others get 403. An edit computes the next run again; both are audited.
/// </summary>
internal sealed class ScheduleEditPage(WebGuard guard, AuditLog auditLog, IScheduleStore store, IIdentityStore identities, TimeProvider time)
{
    private const string Route = "/{group}/{name}/-/pipeline_schedules/{sid:long}";

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(Route + "/edit", (HttpContext http, string group, string name, long sid) =>
            guard.ProjectAsync(http, group, name, AccessLevel.Developer, (v, p) => WithScheduleAsync(http, v, p, sid, s => PageAsync(http, v, p, s, null))));
        app.MapPost(Route + "/edit", (HttpContext http, string group, string name, long sid) =>
            guard.ProjectPostAsync(http, group, name, (v, p, form) => WithScheduleAsync(http, v, p, sid, s =>
                ScheduleEndpoints.IsOwner(v.Caller, s) ? SaveAsync(http, v, p, s, form) : Task.FromResult(Layout.Forbidden(v)))));
        app.MapPost(Route + "/take_ownership", (HttpContext http, string group, string name, long sid) =>
            guard.ProjectPostAsync(http, group, name, (v, p, _) => WithScheduleAsync(http, v, p, sid, async s =>
            {
                if (s.OwnerId != v.User!.Id)
                {
                    await store.UpdateScheduleAsync(s with { OwnerId = v.User.Id }, time.GetUtcNow(), CancellationToken.None);
                    await auditLog.RecordAsync(http, AuditActor.Of(v.User), "pipeline_schedule_owned", "Project", p.Id, p.Path, $"schedule {s.Id}, owner before: user {s.OwnerId} (web)");
                }

                return WebGuard.SeeOther($"/{p.Path}/-/pipeline_schedules/{s.Id}/edit");
            }), AccessLevel.Maintainer));
    }

    private async Task<IResult> WithScheduleAsync(HttpContext http, WebViewer viewer, ProjectRecord project, long sid, Func<PipelineScheduleRecord, Task<IResult>> act) =>
        await store.GetScheduleAsync(project.Id, sid, http.RequestAborted) is { } s ? await act(s) : Layout.NotFound(viewer, "Pipeline schedule");

    private async Task<IResult> SaveAsync(HttpContext http, WebViewer viewer, ProjectRecord project, PipelineScheduleRecord s, IFormCollection form)
    {
        var changed = s with
        {
            Description = form["description"].ToString().Trim(),
            Ref = form["ref"].ToString().Trim(),
            Cron = form["cron"].ToString().Trim(),
            CronTimezone = form["cron_timezone"].ToString().Trim() is { Length: > 0 } zone ? zone : "UTC",
            Active = form["active"] == "true",
        };
        var (cron, _) = ScheduleCron.Parse(changed.Cron, changed.CronTimezone);
        var variables = SchedulePages.Variables(form["variables"].ToString());
        if (changed.Description.Length == 0 || changed.Ref.Length == 0 || cron is null || variables is null)
        {
            return await PageAsync(http, viewer, project, changed, "Give a description, a ref, a cron expression and time zone that can be read, and variables as KEY=VALUE lines.");
        }

        var next = cron.NextAfter(time.GetUtcNow()) is { } at ? SqlKeyStore.StoredTime(at) : null;
        await store.UpdateScheduleAsync(changed with { NextRunAt = next }, time.GetUtcNow(), CancellationToken.None);
        var before = await store.ListScheduleVariablesAsync(s.Id, CancellationToken.None);
        foreach (var old in before.Where(b => !variables.Any(v => v.Key == b.Key)))
        {
            await store.DeleteScheduleVariableAsync(s.Id, old.Key, CancellationToken.None);
        }

        foreach (var (key, value) in variables)
        {
            if (before.FirstOrDefault(b => b.Key == key) is { } kept)
            {
                await store.UpdateScheduleVariableAsync(kept with { Value = value }, CancellationToken.None);
            }
            else
            {
                await store.AddScheduleVariableAsync(new ScheduleVariableRecord { ScheduleId = s.Id, Key = key, Value = value }, CancellationToken.None);
            }
        }

        await auditLog.RecordAsync(http, AuditActor.Of(viewer.User), "pipeline_schedule_updated", "Project", project.Id, project.Path, $"schedule {s.Id} (web)");
        return WebGuard.SeeOther($"/{project.Path}/-/pipeline_schedules");
    }

    private async Task<IResult> PageAsync(HttpContext http, WebViewer viewer, ProjectRecord project, PipelineScheduleRecord s, string? error)
    {
        var owner = (await identities.GetUserAsync(s.OwnerId, http.RequestAborted))?.Username ?? "(deleted)";
        var isOwner = ScheduleEndpoints.IsOwner(viewer.Caller, s);
        var canTake = viewer.Caller.Has(project, AccessLevel.Maintainer) && s.OwnerId != viewer.User?.Id;
        if (!isOwner && !canTake)
        {
            return Layout.Forbidden(viewer);
        }

        var variables = isOwner ? await store.ListScheduleVariablesAsync(s.Id, http.RequestAborted) : [];
        return Layout.Page(viewer, "Edit pipeline schedule", h =>
        {
            h.Add($"<h1>Edit pipeline schedule</h1><p>Owner: {owner}</p>");
            Layout.ErrorFlash(h, error);
            if (canTake)
            {
                h.Add($"<form method=\"post\" action=\"/{project.Path}/-/pipeline_schedules/{s.Id}/take_ownership\" class=\"inline\">");
                Layout.Csrf(h, viewer);
                h.Raw("<button type=\"submit\" class=\"button\">Take ownership</button></form>");
            }

            if (!isOwner)
            {
                h.Raw("<p>Only the schedule's owner may edit it. Take ownership to edit it; its pipelines then run as you.</p>");
                return;
            }

            h.Add($"<form method=\"post\" action=\"/{project.Path}/-/pipeline_schedules/{s.Id}/edit\" class=\"protect-form\">");
            Layout.Csrf(h, viewer);
            h.Add($"<label for=\"ps-description\">Description</label><input id=\"ps-description\" name=\"description\" required value=\"{s.Description}\">");
            h.Add($"<label for=\"ps-ref\">Target branch or tag</label><input id=\"ps-ref\" name=\"ref\" required value=\"{s.Ref}\">");
            h.Add($"<label for=\"ps-cron\">Interval pattern (cron)</label><input id=\"ps-cron\" name=\"cron\" required value=\"{s.Cron}\">");
            h.Add($"<label for=\"ps-zone\">Time zone (IANA)</label><input id=\"ps-zone\" name=\"cron_timezone\" value=\"{s.CronTimezone}\">");
            h.Add($"<label for=\"ps-variables\">Variables (KEY=VALUE, one a line)</label><textarea id=\"ps-variables\" name=\"variables\" rows=\"3\">{string.Join("\n", variables.Select(v => v.Key + "=" + v.Value))}</textarea>");
            h.Add($"<div><input type=\"checkbox\" id=\"ps-active\" name=\"active\" value=\"true\"{new RawHtml(s.Active ? " checked" : "")}> <label for=\"ps-active\">Active</label></div>");
            h.Raw("<button type=\"submit\" class=\"button primary\">Save changes</button></form>");
        }, error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest, project, "pipelines");
    }
}

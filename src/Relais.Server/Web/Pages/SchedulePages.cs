using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Protocol;
using Relais.Server.Api;
using Relais.Server.Auth;
using Relais.Server.Pipelines;
using Relais.Server.Security;
using Relais.Server.Storage;
using Relais.Server.Web.Html;

namespace Relais.Server.Web.Pages;

/// <summary>
/// A project's pipeline schedules page (<c>/GROUP/PROJECT/-/pipeline_schedules</c>, Reporters read): each schedule with
/// its cron and time zone, ref, next run, owner and last pipeline's status; Play (Developers) and Delete (its owner or a
/// Maintainer); a form to add one (description, ref, cron, time zone, variables as <c>KEY=VALUE</c> lines). The same
/// store calls, rules and audit records as the REST API's <c>pipeline_schedules</c>.
/// </summary>
internal sealed class SchedulePages(WebGuard guard, AuditLog auditLog, IScheduleStore store, IIdentityStore identities, IPipelineStore pipelines, ScheduledPipelines runs, TimeProvider time)
{
    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/{group}/{name}/-/pipeline_schedules", (HttpContext http, string group, string name) =>
            guard.ProjectAsync(http, group, name, AccessLevel.Reporter, (v, p) => PageAsync(http, v, p)));
        app.MapPost("/{group}/{name}/-/pipeline_schedules", (HttpContext http, string group, string name) =>
            guard.ProjectPostAsync(http, group, name, (v, p, form) => CreateAsync(http, v, p, form)));
        app.MapPost("/{group}/{name}/-/pipeline_schedules/{sid:long}/play", (HttpContext http, string group, string name, long sid) =>
            guard.ProjectPostAsync(http, group, name, async (_, p, _) =>
            {
                if (await store.GetScheduleAsync(p.Id, sid, http.RequestAborted) is not { } s)
                {
                    return WebGuard.SeeOther($"/{p.Path}/-/pipeline_schedules");
                }

                var run = await runs.RunAsync(s, CancellationToken.None);
                return WebGuard.SeeOther(run.Outcome == ScheduleOutcome.Created ? $"/{p.Path}/-/pipelines/{run.PipelineId}" : $"/{p.Path}/-/pipeline_schedules?error=play");
            }));
        app.MapPost("/{group}/{name}/-/pipeline_schedules/{sid:long}/delete", (HttpContext http, string group, string name, long sid) =>
            guard.ProjectPostAsync(http, group, name, async (v, p, _) =>
            {
                if (await store.GetScheduleAsync(p.Id, sid, http.RequestAborted) is { } s && ScheduleEndpoints.CanAdmin(v.Caller, p, s))
                {
                    await store.DeleteScheduleAsync(p.Id, s.Id, CancellationToken.None);
                    await auditLog.RecordAsync(http, AuditActor.Of(v.User), "pipeline_schedule_deleted", "Project", p.Id, p.Path, $"schedule {s.Id} ({s.Description}) (web)");
                }

                return WebGuard.SeeOther($"/{p.Path}/-/pipeline_schedules");
            }));
    }

    private async Task<IResult> CreateAsync(HttpContext http, WebViewer viewer, ProjectRecord project, IFormCollection form)
    {
        var schedule = new PipelineScheduleRecord
        {
            ProjectId = project.Id,
            OwnerId = viewer.User!.Id,
            Description = form["description"].ToString().Trim(),
            Ref = form["ref"].ToString().Trim(),
            Cron = form["cron"].ToString().Trim(),
            CronTimezone = form["cron_timezone"].ToString().Trim() is { Length: > 0 } zone ? zone : "UTC",
        };
        var (cron, _) = ScheduleCron.Parse(schedule.Cron, schedule.CronTimezone);
        var variables = Variables(form["variables"].ToString());
        if (schedule.Description.Length == 0 || schedule.Ref.Length == 0 || cron is null || variables is null)
        {
            return WebGuard.SeeOther($"/{project.Path}/-/pipeline_schedules?error=form");
        }

        var next = cron.NextAfter(time.GetUtcNow()) is { } at ? SqlKeyStore.StoredTime(at) : null;
        var added = await store.AddScheduleAsync(schedule with { NextRunAt = next }, time.GetUtcNow(), CancellationToken.None);
        foreach (var (key, value) in variables)
        {
            await store.AddScheduleVariableAsync(new ScheduleVariableRecord { ScheduleId = added.Id, Key = key, Value = value }, CancellationToken.None);
        }

        await auditLog.RecordAsync(http, AuditActor.Of(viewer.User), "pipeline_schedule_created", "Project", project.Id, project.Path, $"schedule {added.Id} ({added.Description}) (web)");
        return WebGuard.SeeOther($"/{project.Path}/-/pipeline_schedules");
    }

    /// <summary><c>KEY=VALUE</c> lines (blank lines skipped); null when a line has no <c>=</c> or a key GitLab would refuse.</summary>
    internal static List<(string Key, string Value)>? Variables(string text)
    {
        var list = new List<(string, string)>();
        foreach (var line in text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Trim().Length > 0))
        {
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            var key = eq < 0 ? "" : line[..eq].Trim();
            if (key.Length is 0 or > 255 || !key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                return null;
            }

            list.Add((key, line[(eq + 1)..]));
        }

        return list;
    }

    private async Task<IResult> PageAsync(HttpContext http, WebViewer viewer, ProjectRecord project)
    {
        var cancel = http.RequestAborted;
        var rows = new List<(PipelineScheduleRecord Schedule, string Owner, PipelineRecord? Last)>();
        foreach (var s in await store.ListSchedulesAsync(project.Id, null, cancel))
        {
            var owner = await identities.GetUserAsync(s.OwnerId, cancel);
            var ids = await store.ListScheduleRunsAsync(s.Id, cancel);
            rows.Add((s, owner?.Username ?? "(deleted)", ids.Count == 0 ? null : await pipelines.GetPipelineAsync(ids[^1], cancel)));
        }

        var error = http.Request.Query["error"].ToString();
        var canRun = viewer.Caller.Has(project, AccessLevel.Developer);
        return Layout.Page(viewer, "Pipeline schedules", h =>
        {
            h.Raw("<h1>Pipeline schedules</h1>");
            if (error is "form" or "play")
            {
                h.Add($"<p class=\"flash flash-error\" role=\"alert\">{(error == "form" ? "Give a description, a ref, a cron expression and time zone that can be read, and variables as KEY=VALUE lines." : "The schedule could not run: its ref is missing or its owner may no longer run pipelines (then it was deactivated).")}</p>");
            }

            if (rows.Count == 0)
            {
                h.Raw("<p>No pipeline schedules.</p>");
            }
            else
            {
                h.Raw("<table class=\"list\"><thead><tr><th scope=\"col\">Description</th><th scope=\"col\">Target</th><th scope=\"col\">Interval</th><th scope=\"col\">Next run</th><th scope=\"col\">Last pipeline</th><th scope=\"col\">Owner</th><th scope=\"col\"><span class=\"visually-hidden\">Actions</span></th></tr></thead><tbody>");
                foreach (var (s, owner, last) in rows)
                {
                    var next = s.Active ? ApiJson.Time(s.NextRunAt) ?? "never" : "inactive";
                    h.Add($"<tr><td data-label=\"Description\">{s.Description}</td><td data-label=\"Target\"><code>{s.Ref}</code></td><td data-label=\"Interval\"><code>{s.Cron}</code> {s.CronTimezone}</td><td data-label=\"Next run\">{next}</td><td data-label=\"Last pipeline\">");
                    if (last is not null)
                    {
                        h.Add($"<a href=\"/{project.Path}/-/pipelines/{last.Id}\">#{last.Id} {last.Status.ToGitLab()}</a>");
                    }

                    h.Add($"</td><td data-label=\"Owner\">{owner}</td><td>");
                    if (canRun)
                    {
                        h.Add($"<form method=\"post\" action=\"/{project.Path}/-/pipeline_schedules/{s.Id}/play\" class=\"inline\">");
                        Layout.Csrf(h, viewer);
                        h.Add($"<button type=\"submit\" class=\"button small\" aria-label=\"Play schedule {s.Description}\">Play</button></form>");
                    }

                    if (ScheduleEndpoints.IsOwner(viewer.Caller, s) || viewer.Caller.Has(project, AccessLevel.Maintainer))
                    {
                        h.Add($"<a class=\"button small\" href=\"/{project.Path}/-/pipeline_schedules/{s.Id}/edit\" aria-label=\"Edit schedule {s.Description}\">Edit</a> ");
                    }

                    if (ScheduleEndpoints.CanAdmin(viewer.Caller, project, s))
                    {
                        h.Add($"<form method=\"post\" action=\"/{project.Path}/-/pipeline_schedules/{s.Id}/delete\" class=\"inline\">");
                        Layout.Csrf(h, viewer);
                        h.Add($"<button type=\"submit\" class=\"button small danger\" aria-label=\"Delete schedule {s.Description}\">Delete</button></form>");
                    }

                    h.Raw("</td></tr>");
                }

                h.Raw("</tbody></table>");
            }

            if (canRun)
            {
                h.Add($"<form method=\"post\" action=\"/{project.Path}/-/pipeline_schedules\" class=\"protect-form\"><h2>New schedule</h2>");
                Layout.Csrf(h, viewer);
                h.Raw("<label for=\"ps-description\">Description</label><input id=\"ps-description\" name=\"description\" required>");
                h.Add($"<label for=\"ps-ref\">Target branch or tag</label><input id=\"ps-ref\" name=\"ref\" required value=\"{project.DefaultBranch}\">");
                h.Raw("<label for=\"ps-cron\">Interval pattern (cron)</label><input id=\"ps-cron\" name=\"cron\" required placeholder=\"0 1 * * *\">");
                h.Raw("<label for=\"ps-zone\">Time zone (IANA)</label><input id=\"ps-zone\" name=\"cron_timezone\" value=\"UTC\">");
                h.Raw("<label for=\"ps-variables\">Variables (KEY=VALUE, one a line)</label><textarea id=\"ps-variables\" name=\"variables\" rows=\"3\"></textarea>");
                h.Raw("<button type=\"submit\" class=\"button primary\">Create schedule</button></form>");
            }
        }, project: project, projectTab: "pipelines");
    }
}

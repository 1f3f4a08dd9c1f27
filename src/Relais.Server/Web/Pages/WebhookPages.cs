using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Api;
using Relais.Server.Auth;
using Relais.Server.Security;
using Relais.Server.Storage;
using Relais.Server.Web.Html;
using Relais.Server.Webhooks;

namespace Relais.Server.Web.Pages;

/// <summary>
/// A project's webhooks page (<c>/GROUP/PROJECT/-/hooks</c>, Maintainer): add a hook, and for each one edit it, send
/// it a test event, delete it, and see its recent deliveries (state, status code, attempts) with a Resend button.
/// The same checks, store calls and audit records as the REST API (<see cref="WebhookEndpoints"/>).
/// </summary>
internal sealed class WebhookPages(
    WebGuard guard, AuditLog auditLog, IWebhookStore store, WebhookTester tester, WebhookSender sender, bool allowLocal, SecretBox secrets, TimeProvider time)
{
    private const int ShownDeliveries = 20;

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/{group}/{name}/-/hooks", (HttpContext http, string group, string name) =>
            guard.ProjectAsync(http, group, name, AccessLevel.Maintainer, (v, p) => ListAsync(http, v, p)));
        app.MapPost("/{group}/{name}/-/hooks", (HttpContext http, string group, string name) =>
            guard.ProjectPostAsync(http, group, name, (v, p, form) => SaveAsync(http, v, p, new WebhookRecord { ProjectId = p.Id }, form), AccessLevel.Maintainer));
        app.MapPost("/{group}/{name}/-/hooks/{hid:long}", (HttpContext http, string group, string name, long hid) =>
            guard.ProjectPostAsync(http, group, name, (v, p, form) => WithHookAsync(p, hid, h => SaveAsync(http, v, p, h, form)), AccessLevel.Maintainer));
        app.MapPost("/{group}/{name}/-/hooks/{hid:long}/delete", (HttpContext http, string group, string name, long hid) =>
            guard.ProjectPostAsync(http, group, name, (v, p, _) => WithHookAsync(p, hid, async h =>
            {
                if (await store.DeleteAsync(p.Id, h.Id, CancellationToken.None))
                {
                    await auditLog.RecordAsync(http, AuditActor.Of(v.User), "webhook_deleted", "Project", p.Id, p.Path, $"hook {h.Id} (web)");
                }

                return Back(p, "saved=1");
            }), AccessLevel.Maintainer));
        app.MapPost("/{group}/{name}/-/hooks/{hid:long}/test", (HttpContext http, string group, string name, long hid) =>
            guard.ProjectPostAsync(http, group, name, (_, p, form) => WithHookAsync(p, hid, async h =>
            {
                var result = await tester.TestAsync(p, h, form["trigger"].ToString(), CancellationToken.None);
                return Back(p, result.Succeeded ? "tested=1" : "error=" + Uri.EscapeDataString(result.Message));
            }), AccessLevel.Maintainer));
        app.MapPost("/{group}/{name}/-/hooks/{hid:long}/events/{eid:long}/resend", (HttpContext http, string group, string name, long hid, long eid) =>
            guard.ProjectPostAsync(http, group, name, (_, p, _) => WithHookAsync(p, hid, async h =>
            {
                await store.ResendAsync(h.Id, eid, time.GetUtcNow(), CancellationToken.None);
                sender.Wake();
                return Back(p, "resent=1");
            }), AccessLevel.Maintainer));
    }

    private static IResult Back(ProjectRecord p, string query) => WebGuard.SeeOther($"/{p.Path}/-/hooks?{query}");

    private async Task<IResult> WithHookAsync(ProjectRecord p, long hid, Func<WebhookRecord, Task<IResult>> handler) =>
        await store.GetAsync(p.Id, hid, CancellationToken.None) is { } hook ? await handler(hook) : Back(p, "error=" + Uri.EscapeDataString("No such hook."));

    private async Task<IResult> SaveAsync(HttpContext http, WebViewer viewer, ProjectRecord project, WebhookRecord hook, IFormCollection form)
    {
        // Checkboxes that are not ticked are not sent: every trigger is given, true or false.
        var fields = form.ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
        foreach (var trigger in WebhookTriggers.All.Append("enable_ssl_verification"))
        {
            fields[trigger] = form.ContainsKey(trigger) ? "true" : "false";
        }

        if (fields.GetValueOrDefault("token") is "")
        {
            fields.Remove("token"); // empty: keep the current token
        }

        var (changed, refusal) = await WebhookInput.ApplyAsync(fields, hook, allowLocal, secrets, CancellationToken.None);
        if (changed is null)
        {
            return Back(project, "error=" + Uri.EscapeDataString(refusal!));
        }

        var id = hook.Id;
        if (id == 0)
        {
            id = (await store.AddAsync(changed, time.GetUtcNow(), CancellationToken.None)).Id;
        }
        else
        {
            await store.UpdateAsync(changed, CancellationToken.None);
        }

        await auditLog.RecordAsync(http, AuditActor.Of(viewer.User), hook.Id == 0 ? "webhook_created" : "webhook_updated", "Project", project.Id, project.Path, $"hook {id}: {changed.Events} (web)");
        return Back(project, "saved=1");
    }

    private async Task<IResult> ListAsync(HttpContext http, WebViewer viewer, ProjectRecord project)
    {
        var hooks = await store.ListAsync(project.Id, http.RequestAborted);
        var deliveries = new Dictionary<long, IReadOnlyList<WebhookDeliveryRecord>>();
        foreach (var hook in hooks)
        {
            deliveries[hook.Id] = await store.ListDeliveriesAsync(hook.Id, ShownDeliveries, http.RequestAborted);
        }

        var q = http.Request.Query;
        var now = time.GetUtcNow();
        return Layout.Page(viewer, "Webhooks · " + project.Path, h =>
        {
            h.Raw("<h1>Webhooks</h1><p>Each hook receives a POST with a JSON body, in GitLab's shapes, for the events you tick. Failed deliveries are retried with growing waits; a hook that keeps failing pauses for a while.</p>");
            Flash(h, q["saved"] == "1" ? "Saved." : q["tested"] == "1" ? "Test event sent: the receiver answered 2xx." : q["resent"] == "1" ? "Queued to be sent again." : null);
            Layout.ErrorFlash(h, q["error"].FirstOrDefault());
            foreach (var hook in hooks)
            {
                HookSection(h, viewer, project, hook, deliveries[hook.Id], now);
            }

            h.Raw("<section class=\"card wide\" aria-labelledby=\"hook-new\"><h2 id=\"hook-new\">Add a webhook</h2>");
            HookForm(h, viewer, project, new WebhookRecord { Events = WebhookTriggers.Push }, "new");
            h.Raw("</section>");
        }, project: project, projectTab: "settings");
    }

    private static void Flash(HtmlBuilder h, string? text)
    {
        if (text is not null)
        {
            h.Add($"<p class=\"flash\" role=\"status\">{text}</p>");
        }
    }

    private static void HookSection(HtmlBuilder h, WebViewer viewer, ProjectRecord project, WebhookRecord hook, IReadOnlyList<WebhookDeliveryRecord> deliveries, DateTimeOffset now)
    {
        var view = WebhookViews.Hook(hook, now);
        h.Add($"<section class=\"card wide\" aria-labelledby=\"hook-{hook.Id}\"><h2 id=\"hook-{hook.Id}\">{(hook.Name.Length > 0 ? hook.Name : hook.Url)}</h2>");
        h.Add($"<p><code>{hook.Url}</code> · {string.Join(", ", hook.EventList)}{(view.AlertStatus == "temporarily_disabled" ? " · paused until " + view.DisabledUntil : "")}</p>");
        HookForm(h, viewer, project, hook, hook.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));

        h.Add($"<form method=\"post\" action=\"/{project.Path}/-/hooks/{hook.Id}/test\" class=\"inline\">");
        Layout.Csrf(h, viewer);
        h.Add($"<label for=\"test-{hook.Id}\">Test with</label><select id=\"test-{hook.Id}\" name=\"trigger\">");
        foreach (var trigger in WebhookTriggers.Testable)
        {
            h.Add($"<option value=\"{trigger}\">{WebhookTriggers.EventHeader(trigger)}</option>");
        }

        h.Raw("</select><button type=\"submit\" class=\"button\">Test</button></form>");
        Layout.ActionButton(h, viewer, $"/{project.Path}/-/hooks/{hook.Id}/delete", "Delete", $"Delete webhook {hook.Id}", "button danger");

        h.Raw("<h3>Recent deliveries</h3>");
        if (deliveries.Count == 0)
        {
            h.Raw("<p>None yet.</p>");
        }
        else
        {
            h.Raw("<table class=\"list\"><thead><tr><th scope=\"col\">Event</th><th scope=\"col\">State</th><th scope=\"col\">Status</th><th scope=\"col\">Attempts</th><th scope=\"col\">When</th><th scope=\"col\"><span class=\"visually-hidden\">Actions</span></th></tr></thead><tbody>");
            foreach (var d in deliveries)
            {
                var status = d.ResponseStatus?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? d.Error ?? "—";
                h.Add($"<tr><td data-label=\"Event\">{d.Event}</td><td data-label=\"State\">{d.State}</td><td data-label=\"Status\">{status}</td><td data-label=\"Attempts\">{d.Attempts}</td><td data-label=\"When\">{Format.Age(Format.Parse(d.UpdatedAt), now)}</td><td>");
                Layout.ActionButton(h, viewer, $"/{project.Path}/-/hooks/{hook.Id}/events/{d.Id}/resend", "Resend", $"Resend delivery {d.Id}", "button small");
                h.Raw("</td></tr>");
            }

            h.Raw("</tbody></table>");
        }

        h.Raw("</section>");
    }

    private static void HookForm(HtmlBuilder h, WebViewer viewer, ProjectRecord project, WebhookRecord hook, string key)
    {
        var action = hook.Id == 0 ? $"/{project.Path}/-/hooks" : $"/{project.Path}/-/hooks/{hook.Id}";
        h.Add($"<form method=\"post\" action=\"{action}\" class=\"protect-form\">");
        Layout.Csrf(h, viewer);
        h.Add($"<label for=\"url-{key}\">URL</label><input id=\"url-{key}\" name=\"url\" type=\"url\" required value=\"{hook.Url}\">");
        h.Add($"<label for=\"name-{key}\">Name</label><input id=\"name-{key}\" name=\"name\" value=\"{hook.Name}\">");
        h.Add($"<label for=\"token-{key}\">Secret token{(hook.SealedToken is null ? "" : " (set; leave empty to keep it)")}</label><input id=\"token-{key}\" name=\"token\" type=\"password\" autocomplete=\"off\">");
        h.Add($"<label for=\"filter-{key}\">Push events branch filter</label><input id=\"filter-{key}\" name=\"push_events_branch_filter\" value=\"{hook.PushEventsBranchFilter}\" placeholder=\"main, release/*\">");
        h.Raw("<fieldset><legend>Trigger</legend>");
        foreach (var trigger in WebhookTriggers.All)
        {
            h.Add($"<div><input type=\"checkbox\" id=\"{trigger}-{key}\" name=\"{trigger}\" value=\"true\"{new RawHtml(hook.Listens(trigger) ? " checked" : "")}> <label for=\"{trigger}-{key}\">{WebhookTriggers.EventHeader(trigger).Replace(" Hook", " events", StringComparison.Ordinal)}</label></div>");
        }

        h.Add($"<div><input type=\"checkbox\" id=\"ssl-{key}\" name=\"enable_ssl_verification\" value=\"true\"{new RawHtml(hook.EnableSslVerification ? " checked" : "")}> <label for=\"ssl-{key}\">Enable SSL verification</label></div>");
        h.Add($"</fieldset><button type=\"submit\" class=\"button primary\">{(hook.Id == 0 ? "Add webhook" : "Save changes")}</button></form>");
    }
}

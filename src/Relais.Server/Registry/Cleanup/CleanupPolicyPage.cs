using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Auth;
using Relais.Server.Security;
using Relais.Server.Storage;
using Relais.Server.Web;
using Relais.Server.Web.Html;

namespace Relais.Server.Registry.Cleanup;

/// <summary>
/// A project's "Packages and registries" settings (<c>/GROUP/PROJECT/-/settings/packages_and_registries</c>,
/// Maintainers): the container image cleanup policy, enabled and edited with GitLab's choices; and for administrators,
/// "Run garbage collection now" (the registry is read-only while it runs). A problem answers the page with it and 400.
/// </summary>
internal sealed class CleanupPolicyPage(WebGuard guard, AuditLog auditLog, ExpirationPolicies policies, RegistryGarbageCollector? garbage)
{
    private const string Route = "/{group}/{name}/-/settings/packages_and_registries";

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(Route, (HttpContext http, string group, string name) =>
            guard.ProjectAsync(http, group, name, AccessLevel.Maintainer, async (v, p) =>
                Page(v, p, await policies.GetAsync(p.Id, http.RequestAborted), http.Request.Query["done"].FirstOrDefault(), null)));
        app.MapPost(Route + "/cleanup_policy", (HttpContext http, string group, string name) =>
            guard.ProjectPostAsync(http, group, name, async (v, p, form) =>
            {
                var attributes = new Dictionary<string, string?>(StringComparer.Ordinal)
                {
                    ["enabled"] = form["enabled"].ToString() == "true" ? "true" : "false",
                    ["cadence"] = form["cadence"].ToString(),
                    ["keep_n"] = form["keep_n"].ToString(),
                    ["older_than"] = form["older_than"].ToString(),
                    ["name_regex"] = form["name_regex"].ToString(),
                    ["name_regex_keep"] = form["name_regex_keep"].ToString(),
                };
                var (saved, invalid, problems) = await policies.UpdateAsync(p.Id, attributes, CancellationToken.None);
                if (saved is null)
                {
                    var problem = invalid ?? string.Join("; ", problems!.Select(e => e.Key.Replace("container_expiration_policy.", "", StringComparison.Ordinal) + " " + string.Join(", ", e.Value)));
                    var asGiven = ExpirationPolicyInput.Apply(await policies.GetAsync(p.Id, http.RequestAborted), attributes).Policy;
                    return Page(v, p, asGiven ?? await policies.GetAsync(p.Id, http.RequestAborted), null, problem);
                }

                await auditLog.RecordAsync(http, AuditActor.Of(v.User), "container_expiration_policy_changed", "Project", p.Id, p.Path,
                    $"enabled {saved.Enabled}, cadence {saved.Cadence}, keep_n {saved.KeepN}, older_than {saved.OlderThan} (web)");
                return WebGuard.SeeOther($"/{p.Path}/-/settings/packages_and_registries?done=saved");
            }, AccessLevel.Maintainer));
        app.MapPost(Route + "/garbage_collection", (HttpContext http, string group, string name) =>
            guard.ProjectPostAsync(http, group, name, async (v, p, form) =>
            {
                if (!v.Caller.IsAdmin)
                {
                    return Layout.Forbidden(v);
                }

                if (garbage is not { Available: true })
                {
                    return Page(v, p, await policies.GetAsync(p.Id, http.RequestAborted), null, "Garbage collection runs only where relais serve runs the registry itself.");
                }

                await auditLog.RecordAsync(http, AuditActor.Of(v.User), "registry_garbage_collection", "Project", p.Id, p.Path, "(web)");
                _ = Task.Run(() => garbage.RunAsync("started by " + v.User!.Username)); // minutes on a large registry: the page does not wait
                return WebGuard.SeeOther($"/{p.Path}/-/settings/packages_and_registries?done=gc");
            }, AccessLevel.Maintainer));
    }

    private IResult Page(WebViewer viewer, ProjectRecord project, ContainerExpirationPolicyRecord policy, string? done, string? problem) =>
        Layout.Page(viewer, "Packages and registries · " + project.Path, h =>
        {
            h.Raw("<h1>Packages and registries</h1>");
            if (done == "saved")
            {
                h.Raw("<p class=\"flash\" role=\"status\">Cleanup policy saved.</p>");
            }
            else if (done == "gc")
            {
                h.Raw("<p class=\"flash\" role=\"status\">Garbage collection started: the registry is read-only (pushes are refused) until it ends.</p>");
            }

            if (problem is not null)
            {
                h.Add($"<p class=\"flash flash-error\" role=\"alert\">{problem}</p>");
            }

            WritePolicy(h, viewer, project, policy);
            if (viewer.Caller.IsAdmin)
            {
                WriteGarbageCollection(h, viewer, project);
            }
        }, problem is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest, project, "settings");

    private static void WritePolicy(HtmlBuilder h, WebViewer viewer, ProjectRecord project, ContainerExpirationPolicyRecord policy)
    {
        h.Add($"<form method=\"post\" action=\"/{project.Path}/-/settings/packages_and_registries/cleanup_policy\" class=\"card\" id=\"cleanup-policy\"><fieldset><legend>Cleanup policy for container images</legend>");
        Layout.Csrf(h, viewer);
        h.Raw("<p>Runs on a schedule and deletes tags of this project's container images; <code>latest</code> is never deleted. The registry's garbage collection then frees the space.</p>");
        h.Add($"<div><input type=\"checkbox\" id=\"enabled\" name=\"enabled\" value=\"true\"{new RawHtml(policy.Enabled ? " checked" : "")}> <label for=\"enabled\">Enabled</label></div>");
        Select(h, "cadence", "Run cleanup", ExpirationPolicyRules.Cadences.Keys.Select(c => (c, CadenceText(c))), policy.Cadence);
        Select(h, "keep_n", "Keep the most recent", ExpirationPolicyRules.KeepNValues.Select(n => (n.ToString(System.Globalization.CultureInfo.InvariantCulture), $"{n} tag{(n == 1 ? "" : "s")} per image name")).Prepend(("", "(no limit)")), policy.KeepN?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "");
        h.Add($"<div><label for=\"name_regex_keep\">Keep tags matching</label> <input id=\"name_regex_keep\" name=\"name_regex_keep\" value=\"{policy.NameRegexKeep ?? ""}\"> <small>takes precedence over the tags to remove</small></div>");
        Select(h, "older_than", "Remove tags older than", ExpirationPolicyRules.OlderThanValues.Select(o => (o, o[..^1] + " days")).Prepend(("", "(any age)")), policy.OlderThan ?? "");
        h.Add($"<div><label for=\"name_regex\">Remove tags matching</label> <input id=\"name_regex\" name=\"name_regex\" value=\"{policy.NameRegex ?? ""}\"> <small>a whole-name regular expression (RE2 syntax); <code>.*</code> for all</small></div>");
        h.Add($"<p>Next run: {ExpirationPolicyRules.Time(policy.NextRunAt)?.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture) ?? "not scheduled"}</p>");
        h.Raw("</fieldset><button type=\"submit\" class=\"button primary\">Save</button></form>");
    }

    private void WriteGarbageCollection(HtmlBuilder h, WebViewer viewer, ProjectRecord project)
    {
        h.Add($"<form method=\"post\" action=\"/{project.Path}/-/settings/packages_and_registries/garbage_collection\" class=\"card\" id=\"garbage-collection\"><fieldset><legend>Registry garbage collection (administrators)</legend>");
        Layout.Csrf(h, viewer);
        h.Raw("<p>Removes image layers no tag refers to any more, for the whole registry. <strong>The registry is read-only while it runs</strong>: pushes are refused until it ends; pulls go on.</p>");
        if (garbage is { IsReadOnly: true })
        {
            h.Raw("<p class=\"flash\" role=\"status\">Garbage collection is running: the registry is read-only now.</p>");
        }

        var off = garbage is not { Available: true };
        if (off)
        {
            h.Raw("<p>Not available here: relais serve does not run this registry itself.</p>");
        }

        h.Add($"</fieldset><button type=\"submit\" class=\"button\"{new RawHtml(off ? " disabled" : "")}>Run garbage collection now</button></form>");
    }

    private static void Select(HtmlBuilder h, string name, string label, IEnumerable<(string Value, string Text)> options, string current)
    {
        h.Add($"<div><label for=\"{name}\">{label}</label> <select id=\"{name}\" name=\"{name}\">");
        foreach (var (value, text) in options)
        {
            h.Add($"<option value=\"{value}\"{new RawHtml(value == current ? " selected" : "")}>{text}</option>");
        }

        h.Raw("</select></div>");
    }

    private static string CadenceText(string cadence) => cadence switch
    {
        "1d" => "Every day",
        "7d" => "Every week",
        "14d" => "Every two weeks",
        "1month" => "Every month",
        _ => "Every three months",
    };
}

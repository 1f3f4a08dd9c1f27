using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Api;
using Relais.Server.Auth;
using Relais.Server.Security;
using Relais.Server.Storage;
using Relais.Server.Web.Html;

namespace Relais.Server.Web.Pages;

/// <summary>
/// A project's settings for those who may change it (CI/CD variables and trigger tokens: <see cref="CiCdSettingsPage"/>): visibility (<c>/edit</c>, public or private; protected branches and tags: <see cref="ProtectedBranchPages"/>, <see cref="ProtectedTagPages"/>)
/// and, for administrators only, whether the project is trusted (<c>/edit/trusted</c>: its jobs may run unisolated).
/// </summary>
internal sealed class SettingsPages(WebGuard guard, AuditLog auditLog, IProjectStore projectStore)
{
    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/{group}/{name}/edit", (HttpContext http, string group, string name) =>
            guard.ProjectAsync(http, group, name, AccessLevel.Maintainer, async (v, p) =>
                Edit(v, p, await projectStore.ListProtectedBranchesAsync(p.Id, http.RequestAborted), await projectStore.ListProtectedTagsAsync(p.Id, http.RequestAborted),
                    http.Request.Query["saved"] == "1", http.Request.Query["error"].FirstOrDefault())));
        app.MapPost("/{group}/{name}/edit", (HttpContext http, string group, string name) =>
            guard.ProjectPostAsync(http, group, name, async (v, p, form) =>
            {
                var visibility = form["visibility"].ToString();
                if (visibility is not ("public" or "private"))
                {
                    return Layout.Page(v, "Settings", h => h.Raw("<h1>Settings</h1><p class=\"flash flash-error\" role=\"alert\">Visibility must be public or private.</p>"), StatusCodes.Status400BadRequest, p, "settings");
                }

                await auditLog.RecordAsync(http, AuditActor.Of(v.User), "project_visibility_changed", "Project", p.Id, p.Path, $"{p.Visibility} -> {visibility} (web)");
                await projectStore.SetProjectVisibilityAsync(p.Id, visibility, CancellationToken.None);
                return WebGuard.SeeOther($"/{p.Path}/edit?saved=1");
            }, AccessLevel.Maintainer));
        app.MapPost("/{group}/{name}/edit/trusted", (HttpContext http, string group, string name) =>
            guard.ProjectPostAsync(http, group, name, async (v, p, form) =>
            {
                if (!v.Caller.IsAdmin)
                {
                    return Layout.Page(v, "Settings", h => h.Raw("<h1>Settings</h1><p class=\"flash flash-error\" role=\"alert\">Only an administrator may mark a project trusted.</p>"), StatusCodes.Status403Forbidden, p, "settings");
                }

                var trusted = form["trusted"].ToString() == "true";
                await auditLog.RecordAsync(http, AuditActor.Of(v.User), "project_trust_changed", "Project", p.Id, p.Path, $"{p.Trusted} -> {trusted} (web)");
                await projectStore.SetProjectTrustedAsync(p.Id, trusted, CancellationToken.None);
                return WebGuard.SeeOther($"/{p.Path}/edit?saved=1");
            }, AccessLevel.Maintainer));
    }

    private static IResult Edit(WebViewer viewer, ProjectRecord project, IReadOnlyList<ProtectedBranchRecord> branches, IReadOnlyList<ProtectedTagRecord> tags, bool saved, string? error) =>
        Layout.Page(viewer, "Settings · " + project.Path, h =>
        {
            h.Raw("<h1>Settings</h1>");
            if (saved)
            {
                h.Raw("<p class=\"flash\" role=\"status\">Saved.</p>");
            }

            h.Add($"<form method=\"post\" action=\"/{project.Path}/edit\" class=\"card\"><fieldset><legend>Visibility</legend>");
            Layout.Csrf(h, viewer);
            foreach (var (value, text) in new[] { ("private", "Private: only you and administrators see the project and its pipelines."), ("public", "Public: anyone can see the project and its pipelines without signing in.") })
            {
                h.Add($"<div><input type=\"radio\" id=\"visibility-{value}\" name=\"visibility\" value=\"{value}\"{new RawHtml(project.Visibility == value ? " checked" : "")}> <label for=\"visibility-{value}\">{text}</label></div>");
            }

            h.Raw("</fieldset><button type=\"submit\" class=\"button primary\">Save</button></form>");
            h.Add($"<p><a href=\"/{project.Path}/-/hooks\">Webhooks</a>: send pipeline, job and push events to other systems.</p>");
            h.Add($"<p><a href=\"/{project.Path}/-/settings/packages_and_registries\">Packages and registries</a>: the cleanup policy for container images.</p>");
            if (viewer.Caller.IsAdmin)
            {
                Trust(h, viewer, project);
            }

            ProtectedBranchPages.Write(h, viewer, project, branches, error is "tag" or "tag_exists" ? null : error);
            ProtectedTagPages.Write(h, viewer, project, tags, error);
        }, project: project, projectTab: "settings");

    /// <summary>The administrators' form: trust the project's jobs to run unisolated, or not (docs/security.md, the trust model).</summary>
    private static void Trust(HtmlBuilder h, WebViewer viewer, ProjectRecord project)
    {
        h.Add($"<form method=\"post\" action=\"/{project.Path}/edit/trusted\" class=\"card\"><fieldset><legend>Job isolation</legend>");
        Layout.Csrf(h, viewer);
        h.Add($"<div><input type=\"checkbox\" id=\"trusted\" name=\"trusted\" value=\"true\"{new RawHtml(project.Trusted ? " checked" : "")}> <label for=\"trusted\">Trusted: its jobs may run unisolated on shell runners, as the runner's OS user, next to the server's data. Leave it off for code you have not reviewed; untrusted jobs run only in containers. Projects of an administrator's namespace are trusted anyway.</label></div>");
        h.Raw("</fieldset><button type=\"submit\" class=\"button\">Save job isolation</button></form>");
    }
}

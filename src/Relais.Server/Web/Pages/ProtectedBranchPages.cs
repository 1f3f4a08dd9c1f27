using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Api;
using Relais.Server.Auth;
using Relais.Server.Storage;
using Relais.Server.Web.Html;

namespace Relais.Server.Web.Pages;

/// <summary>
/// The protected branches part of a project's settings (<c>/GROUP/PROJECT/edit</c>): the list (names and wildcard
/// patterns, who may push and merge, force push), a form to protect one, and an Unprotect button on each. Same store
/// calls as the REST API's <c>protected_branches</c>; pipelines of protected branches get protected variables.
/// </summary>
internal sealed class ProtectedBranchPages(WebGuard guard, IProjectStore projectStore, TimeProvider time)
{
    private static readonly (int Level, string Name)[] Levels = [(40, "Maintainers"), (30, "Developers + Maintainers"), (60, "Admins"), (0, "No one")];

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/{group}/{name}/-/protected_branches", (HttpContext http, string group, string name) =>
            guard.ProjectPostAsync(http, group, name, async (v, p, form) =>
            {
                var branch = form["branch"].ToString().Trim();
                if (branch.Length == 0 || !int.TryParse(form["push_access_level"], out var push) || !int.TryParse(form["merge_access_level"], out var merge)
                    || !Levels.Any(l => l.Level == push) || !Levels.Any(l => l.Level == merge))
                {
                    return WebGuard.SeeOther($"/{p.Path}/edit?error=branch");
                }

                var record = new ProtectedBranchRecord { ProjectId = p.Id, Name = branch, PushAccessLevel = push, MergeAccessLevel = merge, AllowForcePush = form["allow_force_push"] == "true" };
                var created = await projectStore.ProtectBranchAsync(record, time.GetUtcNow(), CancellationToken.None);
                return WebGuard.SeeOther($"/{p.Path}/edit?{(created is null ? "error=exists" : "saved=1")}");
            }, AccessLevel.Maintainer));
        app.MapPost("/{group}/{name}/-/protected_branches/unprotect", (HttpContext http, string group, string name) =>
            guard.ProjectPostAsync(http, group, name, async (v, p, form) =>
            {
                await projectStore.UnprotectBranchAsync(p.Id, form["branch"].ToString(), CancellationToken.None);
                return WebGuard.SeeOther($"/{p.Path}/edit?saved=1");
            }, AccessLevel.Maintainer));
    }

    /// <summary>Writes the section (inside the settings page).</summary>
    public static void Write(HtmlBuilder h, WebViewer viewer, ProjectRecord project, IReadOnlyList<ProtectedBranchRecord> branches, string? error)
    {
        h.Raw("<section class=\"card wide\" aria-labelledby=\"pb-title\"><h2 id=\"pb-title\">Protected branches</h2>");
        h.Raw("<p>Only whom you allow may push to matching branches (names or wildcard patterns such as <code>release/*</code>); nobody force-pushes unless you allow it, and they are deleted only through the API. Their pipelines receive the protected CI/CD variables.</p>");
        if (error is not null)
        {
            h.Add($"<p class=\"flash flash-error\" role=\"alert\">{(error == "exists" ? "That branch is protected already." : "Give a branch name and valid access levels.")}</p>");
        }

        if (branches.Count == 0)
        {
            h.Raw("<p>No protected branches.</p>");
        }
        else
        {
            h.Raw("<table class=\"list\"><thead><tr><th scope=\"col\">Branch</th><th scope=\"col\">Allowed to push</th><th scope=\"col\">Allowed to merge</th><th scope=\"col\">Force push</th><th scope=\"col\"><span class=\"visually-hidden\">Actions</span></th></tr></thead><tbody>");
            foreach (var b in branches)
            {
                h.Add($"<tr><td data-label=\"Branch\"><code>{b.Name}</code></td><td data-label=\"Allowed to push\">{ProtectedRefViews.LevelName(b.PushAccessLevel)}</td><td data-label=\"Allowed to merge\">{ProtectedRefViews.LevelName(b.MergeAccessLevel)}</td><td data-label=\"Force push\">{(b.AllowForcePush ? "allowed" : "not allowed")}</td><td>");
                h.Add($"<form method=\"post\" action=\"/{project.Path}/-/protected_branches/unprotect\" class=\"inline\">");
                Layout.Csrf(h, viewer);
                h.Add($"<input type=\"hidden\" name=\"branch\" value=\"{b.Name}\"><button type=\"submit\" class=\"button small danger\" aria-label=\"Unprotect {b.Name}\">Unprotect</button></form></td></tr>");
            }

            h.Raw("</tbody></table>");
        }

        h.Add($"<form method=\"post\" action=\"/{project.Path}/-/protected_branches\" class=\"protect-form\"><h3>Protect a branch</h3>");
        Layout.Csrf(h, viewer);
        h.Raw("<label for=\"pb-branch\">Branch or pattern</label><input id=\"pb-branch\" name=\"branch\" required placeholder=\"release/*\">");
        Select(h, "push_access_level", "Allowed to push");
        Select(h, "merge_access_level", "Allowed to merge");
        h.Raw("<div><input type=\"checkbox\" id=\"pb-force\" name=\"allow_force_push\" value=\"true\"> <label for=\"pb-force\" class=\"inline-label\">Allow force push</label></div>");
        h.Raw("<button type=\"submit\" class=\"button primary\">Protect</button></form></section>");
    }

    private static void Select(HtmlBuilder h, string field, string label)
    {
        h.Add($"<label for=\"pb-{field}\">{label}</label><select id=\"pb-{field}\" name=\"{field}\">");
        foreach (var (level, name) in Levels)
        {
            h.Add($"<option value=\"{level}\">{name}</option>");
        }

        h.Raw("</select>");
    }
}

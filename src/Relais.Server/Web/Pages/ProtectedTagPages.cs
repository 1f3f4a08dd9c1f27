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
/// The protected tags part of a project's settings (<c>/GROUP/PROJECT/edit</c>, Maintainer): the list (names and
/// wildcard patterns, who may create them), a form to protect one, and an Unprotect button on each. Same store calls
/// and audit records as the REST API's <c>protected_tags</c>; pushes follow <see cref="Git.PushRules"/>.
/// </summary>
internal sealed class ProtectedTagPages(WebGuard guard, AuditLog auditLog, IProjectStore projectStore, TimeProvider time)
{
    private static readonly (int Level, string Name)[] Levels = [(40, "Maintainers"), (30, "Developers + Maintainers"), (60, "Admins"), (0, "No one")];

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/{group}/{name}/-/protected_tags", (HttpContext http, string group, string name) =>
            guard.ProjectPostAsync(http, group, name, async (v, p, form) =>
            {
                var tag = form["tag"].ToString().Trim();
                if (tag.Length == 0 || !int.TryParse(form["create_access_level"], out var create) || !Levels.Any(l => l.Level == create))
                {
                    return WebGuard.SeeOther($"/{p.Path}/edit?error=tag");
                }

                var created = await projectStore.ProtectTagAsync(new ProtectedTagRecord { ProjectId = p.Id, Name = tag, CreateAccessLevel = create }, time.GetUtcNow(), CancellationToken.None);
                if (created is not null)
                {
                    await auditLog.RecordAsync(http, AuditActor.Of(v.User), "protected_tag_created", "Project", p.Id, p.Path, tag + " (web)");
                }

                return WebGuard.SeeOther($"/{p.Path}/edit?{(created is null ? "error=tag_exists" : "saved=1")}");
            }, AccessLevel.Maintainer));
        app.MapPost("/{group}/{name}/-/protected_tags/unprotect", (HttpContext http, string group, string name) =>
            guard.ProjectPostAsync(http, group, name, async (v, p, form) =>
            {
                var tag = form["tag"].ToString();
                if (await projectStore.UnprotectTagAsync(p.Id, tag, CancellationToken.None))
                {
                    await auditLog.RecordAsync(http, AuditActor.Of(v.User), "protected_tag_deleted", "Project", p.Id, p.Path, tag + " (web)");
                }

                return WebGuard.SeeOther($"/{p.Path}/edit?saved=1");
            }, AccessLevel.Maintainer));
    }

    /// <summary>Writes the section (inside the settings page).</summary>
    public static void Write(HtmlBuilder h, WebViewer viewer, ProjectRecord project, IReadOnlyList<ProtectedTagRecord> tags, string? error)
    {
        h.Raw("<section class=\"card wide\" aria-labelledby=\"pt-title\"><h2 id=\"pt-title\">Protected tags</h2>");
        h.Raw("<p>Matching tags (names or wildcard patterns such as <code>v*</code>) are created only by whom you allow, are never moved, are deleted only here or through the API, and their pipelines receive the protected CI/CD variables.</p>");
        if (error is "tag" or "tag_exists")
        {
            h.Add($"<p class=\"flash flash-error\" role=\"alert\">{(error == "tag_exists" ? "That tag is protected already." : "Give a tag name and a valid access level.")}</p>");
        }

        if (tags.Count == 0)
        {
            h.Raw("<p>No protected tags.</p>");
        }
        else
        {
            h.Raw("<table class=\"list\"><thead><tr><th scope=\"col\">Tag</th><th scope=\"col\">Allowed to create</th><th scope=\"col\"><span class=\"visually-hidden\">Actions</span></th></tr></thead><tbody>");
            foreach (var t in tags)
            {
                h.Add($"<tr><td data-label=\"Tag\"><code>{t.Name}</code></td><td data-label=\"Allowed to create\">{ProtectedRefViews.LevelName(t.CreateAccessLevel)}</td><td>");
                h.Add($"<form method=\"post\" action=\"/{project.Path}/-/protected_tags/unprotect\" class=\"inline\">");
                Layout.Csrf(h, viewer);
                h.Add($"<input type=\"hidden\" name=\"tag\" value=\"{t.Name}\"><button type=\"submit\" class=\"button small danger\" aria-label=\"Unprotect tag {t.Name}\">Unprotect</button></form></td></tr>");
            }

            h.Raw("</tbody></table>");
        }

        h.Add($"<form method=\"post\" action=\"/{project.Path}/-/protected_tags\" class=\"protect-form\"><h3>Protect a tag</h3>");
        Layout.Csrf(h, viewer);
        h.Raw("<label for=\"pt-tag\">Tag or pattern</label><input id=\"pt-tag\" name=\"tag\" required placeholder=\"v*\">");
        h.Raw("<label for=\"pt-create_access_level\">Allowed to create</label><select id=\"pt-create_access_level\" name=\"create_access_level\">");
        foreach (var (level, name) in Levels)
        {
            h.Add($"<option value=\"{level}\">{name}</option>");
        }

        h.Raw("</select><button type=\"submit\" class=\"button primary\">Protect tag</button></form></section>");
    }
}

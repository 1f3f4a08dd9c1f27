using Microsoft.AspNetCore.Http;
using Relais.Server.Auth;
using Relais.Server.Storage;

namespace Relais.Server.Web.Html;

/// <summary>
/// The page frame every page shares: a skip link, the top bar (projects, runners for admins, sign in/out), an
/// optional breadcrumb, and one <c>&lt;main&gt;</c>. CSS and JS are static files; the page works without JS.
/// </summary>
internal static class Layout
{
    public static IResult Page(WebViewer viewer, string title, Action<HtmlBuilder> body, int status = StatusCodes.Status200OK, ProjectRecord? project = null, string? projectTab = null)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        ArgumentNullException.ThrowIfNull(body);
        var html = new HtmlBuilder();
        html.Add($"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{title} · Relais</title><link rel="stylesheet" href="{WebAssets.CssPath}"><script src="{WebAssets.JsPath}" defer></script></head>
            <body><a class="skip-link" href="#main">Skip to content</a>
            <header class="topbar"><nav aria-label="Main"><a class="brand" href="/">Relais</a> <a href="/">Projects</a>
            """);
        if (viewer.SignedIn)
        {
            html.Raw(" <a href=\"/dashboard/groups\">Groups</a>");
        }

        if (viewer.Caller.IsAdmin)
        {
            html.Raw(" <a href=\"/admin/runners\">Runners</a> <a href=\"/admin/users\">Users</a>");
        }

        html.Raw("</nav><div class=\"account\">");
        if (viewer.User is { } user)
        {
            html.Add($"<span class=\"who\">Signed in as <strong>{user.Username}</strong></span> ");
            if (viewer.CsrfToken is { } csrf)
            {
                html.Add($"<a href=\"{Pages.UserSettingsPages.PasswordPath}\">Account</a> ");
                html.Add($"<form method=\"post\" action=\"/users/sign_out\" class=\"inline\"><input type=\"hidden\" name=\"{WebSessions.CsrfField}\" value=\"{csrf}\"><button type=\"submit\" class=\"link-button\">Sign out</button></form>");
            }
        }
        else
        {
            html.Raw("<a href=\"/users/sign_in\">Sign in</a>");
        }

        html.Raw("</div></header>");
        if (project is not null)
        {
            ProjectNav(html, viewer, project, projectTab);
        }

        html.Raw("<main id=\"main\" tabindex=\"-1\">");
        body(html);
        html.Raw("</main></body></html>");
        return new HtmlPage(html.ToString(), status);
    }

    public static IResult NotFound(WebViewer viewer, string what = "Page") =>
        Page(viewer, "Not found", h => h.Add($"<h1>{what} not found</h1><p>It does not exist, or you may not see it.</p><p><a href=\"/\">Back to the projects</a></p>"), StatusCodes.Status404NotFound);

    public static IResult Forbidden(WebViewer viewer) =>
        Page(viewer, "Forbidden", h => h.Raw("<h1>Forbidden</h1><p>You may see this project but not change it.</p>"), StatusCodes.Status403Forbidden);

    /// <summary>A hidden anti-forgery field for a POST form.</summary>
    /// <summary>A form page's error message (escaped), when there is one.</summary>
    public static void ErrorFlash(HtmlBuilder html, string? error)
    {
        if (error is not null)
        {
            html.Add($"<p class=\"flash flash-error\" role=\"alert\">{error}</p>");
        }
    }

    public static void Csrf(HtmlBuilder html, WebViewer viewer)
    {
        ArgumentNullException.ThrowIfNull(html);
        html.Add($"<input type=\"hidden\" name=\"{WebSessions.CsrfField}\" value=\"{viewer.CsrfToken ?? ""}\">");
    }

    /// <summary>A one-button POST form (an action people click: play, retry, cancel); <paramref name="returnTo"/> is where to go afterwards.</summary>
    public static void ActionButton(HtmlBuilder html, WebViewer viewer, string action, string label, string? accessibleName = null, string css = "button", string? returnTo = null)
    {
        ArgumentNullException.ThrowIfNull(html);
        html.Add($"<form method=\"post\" action=\"{action}\" class=\"inline\">");
        Csrf(html, viewer);
        if (returnTo is not null)
        {
            html.Add($"<input type=\"hidden\" name=\"return_to\" value=\"{returnTo}\">");
        }

        html.Add($"<button type=\"submit\" class=\"{css}\" aria-label=\"{accessibleName ?? label}\">{label}</button></form>");
    }

    private static void ProjectNav(HtmlBuilder html, WebViewer viewer, ProjectRecord project, string? tab)
    {
        var root = "/" + project.Path;
        html.Add($"<nav class=\"project-nav\" aria-label=\"Project\"><a class=\"project-name\" href=\"{root}\"{new RawHtml(tab == "project" ? " aria-current=\"page\"" : "")}>{project.Path}</a> ");
        html.Raw("<span class=\"nav-group\" role=\"group\" aria-label=\"Repository\">");
        Tab(html, root + "/-/tree/" + Repository.RepositoryLinks.Escape(project.DefaultBranch), "Files", tab == "files");
        Tab(html, root + "/-/commits/" + Repository.RepositoryLinks.Escape(project.DefaultBranch), "Commits", tab == "commits");
        Tab(html, root + "/-/branches", "Branches", tab == "branches");
        Tab(html, root + "/-/tags", "Tags", tab == "tags");
        html.Raw("</span>");
        Tab(html, root + "/-/pipelines", "Pipelines", tab == "pipelines");
        if (viewer.Caller.Has(project, AccessLevel.Reporter))
        {
            Tab(html, root + "/-/environments", "Environments", tab == "environments");
        }
        if (viewer.ContainerRegistry && viewer.Caller.Has(project, AccessLevel.Reporter))
        {
            Tab(html, root + "/container_registry", "Container registry", tab == "registry");
        }

        Tab(html, root + "/-/project_members", "Members", tab == "members");
        if (viewer.Caller.Has(project, AccessLevel.Maintainer))
        {
            Tab(html, root + "/-/settings/ci_cd", "CI/CD variables", tab == "variables");
            Tab(html, root + "/edit", "Settings", tab == "settings");
        }

        html.Raw("</nav>");
    }

    private static void Tab(HtmlBuilder html, string href, string label, bool current) =>
        html.Add($"<a href=\"{href}\"{new RawHtml(current ? " aria-current=\"page\"" : "")}>{label}</a> ");
}

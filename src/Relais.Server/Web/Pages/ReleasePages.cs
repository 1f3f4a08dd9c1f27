using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Auth;
using Relais.Server.Storage;
using Relais.Server.Web.Html;
using Relais.Server.Web.Repository;

namespace Relais.Server.Web.Pages;

/// <summary>
/// A project's releases (<c>/-/releases</c>, newest first, each with its tag, commit, date, notes and asset links;
/// <c>/-/releases/:tag</c> shows one) and <c>/-/releases/:tag/downloads/PATH</c>, the address GitLab gives a link with a
/// <c>direct_asset_path</c> (<c>direct_asset_url</c>), which redirects to the link's URL. Reading needs Guest.
/// </summary>
internal sealed class ReleasePages(WebGuard guard, IReleaseStore releases, TimeProvider time)
{
    /// <summary>Releases shown on the page (the API lists them all).</summary>
    public const int Shown = 100;

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/{group}/{name}/-/releases", (HttpContext http, string group, string name) =>
            guard.ProjectAsync(http, group, name, AccessLevel.Guest, (v, p) => ListAsync(http, v, p, null)));
        app.MapGet("/{group}/{name}/-/releases/{tag}", (HttpContext http, string group, string name, string tag) =>
            guard.ProjectAsync(http, group, name, AccessLevel.Guest, (v, p) => ListAsync(http, v, p, Uri.UnescapeDataString(tag))));
        app.MapGet("/{group}/{name}/-/releases/{tag}/downloads/{**path}", (HttpContext http, string group, string name, string tag, string path) =>
            guard.ProjectAsync(http, group, name, AccessLevel.Guest, async (_, p) =>
            {
                var release = await releases.FindAsync(p.Id, Uri.UnescapeDataString(tag), http.RequestAborted);
                var links = release is null ? [] : await releases.ListLinksAsync([release.Id], http.RequestAborted);
                return links.FirstOrDefault(l => l.DirectAssetPath == "/" + path) is { } link ? Results.Redirect(link.Url) : Results.NotFound();
            }));
    }

    private async Task<IResult> ListAsync(HttpContext http, WebViewer viewer, ProjectRecord project, string? onlyTag)
    {
        var cancel = http.RequestAborted;
        var list = onlyTag is null
            ? (await releases.ListAsync(project.Id, byCreated: false, ascending: false, 0, Shown, cancel)).Page
            : await releases.FindAsync(project.Id, onlyTag, cancel) is { } one ? [one] : [];
        if (onlyTag is not null && list.Count == 0)
        {
            return Results.NotFound();
        }

        var links = (await releases.ListLinksAsync([.. list.Select(r => r.Id)], cancel)).ToLookup(l => l.ReleaseId);
        var now = time.GetUtcNow();
        return Layout.Page(viewer, "Releases · " + project.Path, h =>
        {
            h.Raw("<h1>Releases</h1>");
            if (list.Count == 0)
            {
                h.Raw("<p>No releases yet: create one with <code>POST /api/v4/projects/:id/releases</code> or a job's <code>$CI_JOB_TOKEN</code>.</p>");
                return;
            }

            foreach (var r in list)
            {
                h.Add($"<section class=\"release\" data-tag=\"{r.TagName}\"><h2><a href=\"/{project.Path}/-/releases/{Uri.EscapeDataString(r.TagName)}\">{r.Name}</a></h2>");
                h.Add($"<p><a href=\"{RepositoryLinks.Tree(project, r.TagName)}\">{r.TagName}</a>");
                if (r.Sha is { } sha)
                {
                    h.Add($" · <a href=\"{RepositoryLinks.Commit(project, sha)}\"><code>{Format.ShortSha(sha)}</code></a>");
                }

                h.Raw(" · released ");
                RepositoryHtml.Age(h, DateTimeOffset.TryParse(r.ReleasedAt, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at) ? at : null, now);
                h.Raw("</p>");
                if (r.Description is { Length: > 0 } notes)
                {
                    h.Add($"<pre class=\"release-notes\">{notes}</pre>");
                }

                if (links[r.Id].Any())
                {
                    h.Raw("<ul class=\"release-links\">");
                    foreach (var l in links[r.Id])
                    {
                        h.Add($"<li><a href=\"{l.Url}\" rel=\"nofollow noopener\">{l.Name}</a> <span class=\"tag-label\">{l.LinkType}</span></li>");
                    }

                    h.Raw("</ul>");
                }

                h.Raw("</section>");
            }
        }, project: project, projectTab: "releases");
    }
}

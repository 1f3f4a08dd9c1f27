using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Auth;
using Relais.Server.Storage;
using Relais.Server.Web.Html;

namespace Relais.Server.Web.Environments;

/// <summary>
/// A project's environments (<c>/-/environments</c>, Reporter): tabs Available and Stopped (<c>?scope=stopped</c>) with
/// their counts, environments named <c>folder/…</c> grouped in GitLab's folders (a folder shows its count and opens on
/// the page; <c>/-/environments/folders/:folder</c> lists it all), each with its last deployment, URL, auto-stop time and
/// a Stop button for Developers. <see cref="PerPage"/> entries a page, a folder counting as one.
/// </summary>
internal sealed class EnvironmentListPages(WebGuard guard, IEnvironmentStore environments, IDeploymentStore deployments, IPipelineStore pipelines, IIdentityStore identity, TimeProvider time)
{
    public const int PerPage = 20;

    /// <summary>A folder's environments shown when it is opened on the index; its own page has them all.</summary>
    public const int FolderPreview = 10;

    /// <summary>At most this many environments on a folder's page.</summary>
    public const int FolderShown = 200;

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/{group}/{name}/-/environments", (HttpContext http, string group, string name) =>
            guard.ProjectAsync(http, group, name, AccessLevel.Reporter, (v, p) => IndexAsync(http, v, p)));
        app.MapGet("/{group}/{name}/-/environments/folders/{folder}", (HttpContext http, string group, string name, string folder) =>
            guard.ProjectAsync(http, group, name, AccessLevel.Reporter, (v, p) => FolderAsync(http, v, p, folder)));
    }

    private static bool Stopped(HttpContext http) => http.Request.Query["scope"] == "stopped";

    private static bool InTab(EnvironmentRecord e, bool stopped) => stopped == (e.State == EnvironmentStates.Stopped);

    private async Task<IResult> IndexAsync(HttpContext http, WebViewer viewer, ProjectRecord project)
    {
        var cancel = http.RequestAborted;
        var stopped = Stopped(http);
        var all = await environments.ListAsync(project.Id, new EnvironmentFilter(), cancel);
        var shown = all.Where(e => InTab(e, stopped)).ToList();

        // Top-level entries by name: an environment without a folder, or a folder (by its name) with its members.
        var entries = shown.GroupBy(e => (Folder: e.Folder is not null, Key: e.Folder ?? e.Name))
            .Select(g => (g.Key.Key, g.Key.Folder, Members: g.ToList()))
            .OrderBy(e => e.Key, StringComparer.Ordinal).ThenBy(e => e.Folder).ToList();
        var pages = Math.Max(1, (entries.Count + PerPage - 1) / PerPage);
        var page = Math.Min(pages, int.TryParse(http.Request.Query["page"], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 1);
        var onPage = entries.Skip((page - 1) * PerPage).Take(PerPage).ToList();

        var facts = new DeploymentFacts(pipelines, identity);
        var rows = new Dictionary<long, EnvironmentRow>();
        foreach (var r in await EnvironmentRows.ReadAsync(deployments, facts, onPage.SelectMany(e => e.Folder ? e.Members.Take(FolderPreview) : e.Members), cancel))
        {
            rows[r.Environment.Id] = r;
        }

        var now = time.GetUtcNow();
        var canStop = viewer.Caller.Has(project, AccessLevel.Developer);
        var here = EnvironmentHtml.Index(project, stopped) + (page > 1 ? (stopped ? "&" : "?") + "page=" + page.ToString(CultureInfo.InvariantCulture) : "");
        return Layout.Page(viewer, "Environments · " + project.Path, h =>
        {
            h.Raw("<h1>Environments</h1>");
            Tabs(h, stopped, all.Count(e => InTab(e, false)), all.Count(e => InTab(e, true)), s => EnvironmentHtml.Index(project, s));
            if (entries.Count == 0)
            {
                h.Raw(stopped ? "<p>No stopped environments.</p>" : "<p>No environments yet. A job with <code>environment: NAME</code> creates its environment when its pipeline is made.</p>");
                return;
            }

            EnvironmentRows.TableStart(h, canStop);
            foreach (var entry in onPage)
            {
                if (!entry.Folder)
                {
                    EnvironmentRows.Write(h, viewer, project, rows[entry.Members[0].Id], here, now);
                    continue;
                }

                FolderRow(h, viewer, project, entry.Key, entry.Members, rows, stopped, canStop, here, now);
            }

            EnvironmentRows.TableEnd(h);
            Pager(h, project, stopped, page, pages);
        }, project: project, projectTab: "environments");
    }

    private static void FolderRow(
        HtmlBuilder h, WebViewer viewer, ProjectRecord project, string folder, List<EnvironmentRecord> members,
        Dictionary<long, EnvironmentRow> rows, bool stopped, bool canStop, string here, DateTimeOffset now)
    {
        h.Add($"<tr class=\"env-folder\" data-folder=\"{folder}\"><td colspan=\"{(canStop ? 5 : 4)}\"><details><summary><span aria-hidden=\"true\">📁</span> {folder} <span class=\"count\" aria-label=\"{members.Count} environments\">{members.Count}</span></summary>");
        EnvironmentRows.TableStart(h, canStop);
        foreach (var m in members.Take(FolderPreview))
        {
            EnvironmentRows.Write(h, viewer, project, rows[m.Id], here, now);
        }

        EnvironmentRows.TableEnd(h);
        h.Add($"<p><a href=\"{EnvironmentHtml.Folder(project, folder, stopped)}\">Show all {members.Count} in {folder}</a></p></details></td></tr>");
    }

    private async Task<IResult> FolderAsync(HttpContext http, WebViewer viewer, ProjectRecord project, string folder)
    {
        var cancel = http.RequestAborted;
        var stopped = Stopped(http);
        var inFolder = (await environments.ListAsync(project.Id, new EnvironmentFilter(), cancel)).Where(e => e.Folder == folder).ToList();
        var shown = inFolder.Where(e => InTab(e, stopped)).ToList();
        var rows = await EnvironmentRows.ReadAsync(deployments, new DeploymentFacts(pipelines, identity), shown.Take(FolderShown), cancel);
        var now = time.GetUtcNow();
        var canStop = viewer.Caller.Has(project, AccessLevel.Developer);
        var here = EnvironmentHtml.Folder(project, folder, stopped);
        return Layout.Page(viewer, $"Environments / {folder} · {project.Path}", h =>
        {
            h.Add($"<p><a href=\"{EnvironmentHtml.Index(project)}\">Environments</a></p><h1>Environments / {folder}</h1>");
            Tabs(h, stopped, inFolder.Count(e => InTab(e, false)), inFolder.Count(e => InTab(e, true)), s => EnvironmentHtml.Folder(project, folder, s));
            if (rows.Count == 0)
            {
                h.Raw("<p>No environments here.</p>");
                return;
            }

            EnvironmentRows.TableStart(h, canStop);
            foreach (var r in rows)
            {
                EnvironmentRows.Write(h, viewer, project, r, here, now);
            }

            EnvironmentRows.TableEnd(h);
            if (shown.Count > FolderShown)
            {
                h.Add($"<p>The first {FolderShown} of {shown.Count} are shown.</p>");
            }
        }, project: project, projectTab: "environments");
    }

    private static void Tabs(HtmlBuilder h, bool stopped, int available, int stoppedCount, Func<bool, string> link)
    {
        h.Raw("<nav class=\"tabs\" aria-label=\"Environment states\">");
        h.Add($"<a href=\"{link(false)}\"{new RawHtml(stopped ? "" : " aria-current=\"page\"")}>Available <span class=\"count\">{available}</span></a> ");
        h.Add($"<a href=\"{link(true)}\"{new RawHtml(stopped ? " aria-current=\"page\"" : "")}>Stopped <span class=\"count\">{stoppedCount}</span></a>");
        h.Raw("</nav>");
    }

    private static void Pager(HtmlBuilder h, ProjectRecord project, bool stopped, int page, int pages)
    {
        if (pages == 1)
        {
            return;
        }

        var link = EnvironmentHtml.Index(project, stopped) + (stopped ? "&" : "?") + "page=";
        h.Raw("<nav class=\"pager\" aria-label=\"Pages\">");
        if (page > 1)
        {
            h.Add($"<a href=\"{link}{page - 1}\" rel=\"prev\">← Previous</a> ");
        }

        h.Add($"<span>Page {page} of {pages}</span>");
        if (page < pages)
        {
            h.Add($" <a href=\"{link}{page + 1}\" rel=\"next\">Next →</a>");
        }

        h.Raw("</nav>");
    }
}

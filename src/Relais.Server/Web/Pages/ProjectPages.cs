using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Protocol;
using Relais.Server.Api;
using Relais.Server.Auth;
using Relais.Server.Storage.Json;
using Relais.Server.Storage;
using Relais.Server.Web.Html;

namespace Relais.Server.Web.Pages;

/// <summary>
/// The project list (<c>/</c>, each linked to its page, <see cref="ProjectHomePage"/>) and a project's pipelines (<c>/GROUP/PROJECT/-/pipelines</c>): status, ref, commit,
/// source, duration, age; filters by ref and status; 20 per page.
/// </summary>
internal sealed class ProjectPages(WebGuard guard, WebSessions sessions, IPipelineStore pipelineStore, IProjectStore projectStore, TimeProvider time)
{
    private const int PerPage = 20;

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/", Task<IResult> (HttpContext http) => ProjectsAsync(http));
        app.MapGet("/dashboard/projects", Task<IResult> (HttpContext http) => ProjectsAsync(http));
        app.MapGet("/{group}/{name}/-/pipelines", (HttpContext http, string group, string name) =>
            guard.ProjectAsync(http, group, name, AccessLevel.Reporter, (v, p) => PipelinesAsync(http, v, p)));
    }

    private async Task<IResult> ProjectsAsync(HttpContext http)
    {
        var viewer = await sessions.ViewerAsync(http);
        var projects = (await projectStore.ListProjectsAsync(http.RequestAborted)).Where(viewer.Caller.CanSee).ToList();
        var latest = new Dictionary<long, PipelineRecord>();
        foreach (var p in projects)
        {
            if ((await pipelineStore.ListPipelinesAsync(p.Id, new ListQuery([], 0, 1), http.RequestAborted)).Items is [var newest])
            {
                latest[p.Id] = newest;
            }
        }

        return Layout.Page(viewer, "Projects", h =>
        {
            h.Raw("<h1>Projects</h1>");
            if (projects.Count == 0)
            {
                h.Raw(viewer.SignedIn ? "<p>No projects yet. Push a repository to create one.</p>" : "<p>No public projects. <a href=\"/users/sign_in\">Sign in</a> to see yours.</p>");
                return;
            }

            h.Raw("<table class=\"list\"><thead><tr><th scope=\"col\">Project</th><th scope=\"col\">Visibility</th><th scope=\"col\">Latest pipeline</th></tr></thead><tbody>");
            foreach (var p in projects)
            {
                h.Add($"<tr><td data-label=\"Project\"><a href=\"/{p.Path}\">{p.Path}</a></td><td data-label=\"Visibility\">");
                StatusBadge.Write(h, p.Visibility);
                h.Raw("</td><td data-label=\"Latest pipeline\">");
                if (latest.TryGetValue(p.Id, out var pipeline))
                {
                    h.Add($"<a href=\"/{p.Path}/-/pipelines/{pipeline.Id}\">");
                    StatusBadge.Write(h, pipeline.Status);
                    h.Add($" #{pipeline.Id} on {pipeline.Ref}</a>");
                }
                else
                {
                    h.Raw("none");
                }

                h.Raw("</td></tr>");
            }

            h.Raw("</tbody></table>");
        });
    }

    private async Task<IResult> PipelinesAsync(HttpContext http, WebViewer viewer, ProjectRecord project)
    {
        var q = http.Request.Query;
        var page = int.TryParse(q["page"], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 1;
        var gitRef = q["ref"].ToString() is { Length: > 0 } r ? r : null;
        CiStatus? status = CiStatusNames.TryParse(q["status"].ToString(), out var st) ? st : null;
        var list = await pipelineStore.ListPipelinesAsync(project.Id, new ListQuery(status is { } wanted ? [wanted] : [], (page - 1) * PerPage, PerPage) { Ref = gitRef }, http.RequestAborted);
        var summaries = (await pipelineStore.PipelineSummariesAsync([.. list.Items.Select(p => p.Id)], http.RequestAborted)).ToDictionary(x => x.Id);
        var now = time.GetUtcNow();
        return Layout.Page(viewer, "Pipelines · " + project.Path, h =>
        {
            h.Raw("<h1>Pipelines</h1>");
            if (viewer.Caller.CanWrite(project))
            {
                h.Add($"<p><a class=\"button primary\" href=\"/{project.Path}/-/pipelines/new\">Run pipeline</a></p>");
            }

            Filters(h, project, gitRef, status);
            if (list.Items.Count == 0)
            {
                h.Raw("<p>No pipelines match.</p>");
                return;
            }

            h.Raw("<table class=\"list pipelines\"><thead><tr><th scope=\"col\">Status</th><th scope=\"col\">Pipeline</th><th scope=\"col\">Ref</th><th scope=\"col\">Commit</th><th scope=\"col\">Source</th><th scope=\"col\">Duration</th><th scope=\"col\">Created</th></tr></thead><tbody>");
            foreach (var p in list.Items)
            {
                var summary = summaries.GetValueOrDefault(p.Id);
                var created = Format.Parse(p.CreatedAt);
                var finished = p.Status.IsCompleted() ? summary?.FinishedAt : null;
                var duration = summary?.StartedAt is { } started ? (finished ?? now) - started : (TimeSpan?)null;
                h.Raw("<tr><td data-label=\"Status\">");
                StatusBadge.Write(h, p.Status);
                h.Add($"""
                    </td><td data-label="Pipeline"><a href="/{project.Path}/-/pipelines/{p.Id}">#{p.Id}</a></td>
                    <td data-label="Ref"><a href="?ref={Uri.EscapeDataString(p.Ref)}">{p.Ref}</a></td>
                    <td data-label="Commit"><code title="{p.Sha}">{Format.ShortSha(p.Sha)}</code></td>
                    <td data-label="Source">{Source(summary?.ContextJson)}</td>
                    <td data-label="Duration">{Format.Duration(duration)}</td>
                    <td data-label="Created"><time datetime="{Format.Iso(created)}">{Format.Age(created, now)}</time></td></tr>
                    """);
            }

            h.Raw("</tbody></table>");
            Pager(h, page, list.Total, gitRef, status);
        }, project: project, projectTab: "pipelines");
    }

    private static void Filters(HtmlBuilder h, ProjectRecord project, string? gitRef, CiStatus? status)
    {
        h.Add($"""
            <form method="get" action="/{project.Path}/-/pipelines" class="filters" role="search">
            <span class="field"><label for="ref">Ref</label><input id="ref" name="ref" value="{gitRef ?? ""}" placeholder="main"></span>
            <span class="field"><label for="status">Status</label><select id="status" name="status"><option value="">any</option>
            """);
        foreach (var st in StatusBadge.PipelineStatuses)
        {
            h.Add($"<option value=\"{st.ToGitLab()}\"{new RawHtml(st == status ? " selected" : "")}>{StatusBadge.Of(st).Label}</option>");
        }

        h.Raw("</select></span> <button type=\"submit\" class=\"button\">Filter</button></form>");
    }

    private static void Pager(HtmlBuilder h, int page, int total, string? gitRef, CiStatus? status)
    {
        var pages = Math.Max(1, (total + PerPage - 1) / PerPage);
        var query = (gitRef is null ? "" : "&ref=" + Uri.EscapeDataString(gitRef)) + (status is not { } wanted ? "" : "&status=" + wanted.ToGitLab());
        h.Raw("<nav class=\"pager\" aria-label=\"Pages\">");
        if (page > 1)
        {
            h.Add($"<a href=\"?page={page - 1}{query}\" rel=\"prev\">← Newer</a> ");
        }

        h.Add($"<span>Page {page} of {pages} ({total} pipelines)</span>");
        if (page < pages)
        {
            h.Add($" <a href=\"?page={page + 1}{query}\" rel=\"next\">Older →</a>");
        }

        h.Raw("</nav>");
    }

    private static string Source(string? contextJson) =>
        string.IsNullOrEmpty(contextJson) ? "push" : StateJson.ReadContext(contextJson).Source.ToString().ToLowerInvariant();
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Git;
using Relais.Pipelines.Context;
using Relais.Server.Api;
using Relais.Server.Auth;
using Relais.Server.Pipelines;
using Relais.Server.Storage;
using Relais.Server.Web.Html;

namespace Relais.Server.Web.Pages;

/// <summary>
/// GitLab's "Run pipeline" page (<c>/GROUP/PROJECT/-/pipelines/new</c>, Developers): a ref (the repository's branches
/// and tags, or a name when the project has no repository) and a table of variables (key, value, variable or file).
/// Running goes through <see cref="RefPipelineRunner"/>, as the API does, with source <c>web</c> and the signed-in user. As
/// on GitLab, <c>?ref=</c>, <c>var[KEY]=VALUE</c> and <c>file_var[KEY]=VALUE</c> fill the form in.
/// </summary>
internal sealed class RunPipelinePage(WebGuard guard, RefPipelineRunner pipelines, ProjectRepository repository)
{
    /// <summary>Empty variable rows under the given ones (the page works without scripts).</summary>
    private const int EmptyRows = 3;

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/{group}/{name}/-/pipelines/new", (HttpContext http, string group, string name) =>
            guard.ProjectAsync(http, group, name, AccessLevel.Developer, (v, p) => FormAsync(http, v, p, FromQuery(http.Request.Query), http.Request.Query["ref"], null)));
        app.MapPost("/{group}/{name}/-/pipelines", (HttpContext http, string group, string name) =>
            guard.ProjectPostAsync(http, group, name, (v, p, form) => RunAsync(http, v, p, form)));
    }

    private async Task<IResult> RunAsync(HttpContext http, WebViewer viewer, ProjectRecord project, IFormCollection form)
    {
        var gitRef = form["ref"].ToString().Trim();
        var (variables, invalid) = PipelineVariablesInput.FromForm(form);
        var given = Given(form);
        if (gitRef.Length == 0 || invalid is not null)
        {
            return await FormAsync(http, viewer, project, given, gitRef, gitRef.Length == 0 ? "Choose a branch or tag." : invalid);
        }

        var created = await pipelines.RunAsync(project, gitRef, PipelineSource.Web, viewer.User, variables, CancellationToken.None);
        if (created is not { Created: true })
        {
            return await FormAsync(http, viewer, project, given, gitRef, created is null ? $"No CI configuration for '{gitRef}'." : CreatedPipeline.FilteredOutMessage);
        }

        return WebGuard.SeeOther($"/{project.Path}/-/pipelines/{created.Id}");
    }

    private async Task<IResult> FormAsync(HttpContext http, WebViewer viewer, ProjectRecord project, IReadOnlyList<(string Key, string Value, string Type)> rows, string? gitRef, string? error)
    {
        var git = repository.Open(project);
        var branches = git is null ? [] : await git.ListAsync(RepositoryRefs.Branches, http.RequestAborted);
        var tags = git is null ? [] : await git.ListAsync(RepositoryRefs.Tags, http.RequestAborted);
        var chosen = string.IsNullOrEmpty(gitRef) ? project.DefaultBranch : gitRef;
        return Layout.Page(viewer, "Run pipeline · " + project.Path, h =>
        {
            h.Raw("<h1>Run pipeline</h1>");
            Layout.ErrorFlash(h, error);
            h.Add($"<form method=\"post\" action=\"/{project.Path}/-/pipelines\" class=\"run-pipeline\">");
            Layout.Csrf(h, viewer);
            h.Raw("<p class=\"field\"><label for=\"ref\">Run for branch name or tag</label>");
            if (branches.Count + tags.Count == 0)
            {
                h.Add($"<input id=\"ref\" name=\"ref\" value=\"{chosen}\" required>");
            }
            else
            {
                h.Raw("<select id=\"ref\" name=\"ref\">");
                Options(h, "Branches", branches, chosen);
                Options(h, "Tags", tags, chosen);
                h.Raw("</select>");
            }

            h.Raw("</p><h2>Variables</h2><table class=\"list variables\"><thead><tr><th scope=\"col\">Type</th><th scope=\"col\">Key</th><th scope=\"col\">Value</th></tr></thead><tbody>");
            var i = 0;
            foreach (var (key, value, type) in rows.Concat(Enumerable.Repeat(("", "", "env_var"), EmptyRows)))
            {
                i++;
                h.Add($"""
                    <tr><td data-label="Type"><select name="variables[][variable_type]" aria-label="Type of variable {i}">
                    <option value="env_var"{new RawHtml(type == "file" ? "" : " selected")}>Variable</option><option value="file"{new RawHtml(type == "file" ? " selected" : "")}>File</option></select></td>
                    <td data-label="Key"><input name="variables[][key]" value="{key}" placeholder="Input variable key" aria-label="Key of variable {i}"></td>
                    <td data-label="Value"><textarea name="variables[][value]" rows="1" placeholder="Input variable value" aria-label="Value of variable {i}">{value}</textarea></td></tr>
                    """);
            }

            h.Add($"</tbody></table><p><button type=\"submit\" class=\"button primary\">Run pipeline</button> <a class=\"button\" href=\"/{project.Path}/-/pipelines\">Cancel</a></p></form>");
        }, error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest, project, "pipelines");
    }

    private static void Options(HtmlBuilder h, string label, IReadOnlyList<GitRef> refs, string chosen)
    {
        if (refs.Count == 0)
        {
            return;
        }

        h.Add($"<optgroup label=\"{label}\">");
        foreach (var r in refs)
        {
            h.Add($"<option value=\"{r.Name}\"{new RawHtml(r.Name == chosen ? " selected" : "")}>{r.Name}</option>");
        }

        h.Raw("</optgroup>");
    }

    /// <summary>GitLab's prefill: <c>var[KEY]=VALUE</c> and <c>file_var[KEY]=VALUE</c>.</summary>
    private static List<(string Key, string Value, string Type)> FromQuery(IQueryCollection query) =>
        [.. query
            .Where(q => q.Key.EndsWith(']') && (q.Key.StartsWith("var[", StringComparison.Ordinal) || q.Key.StartsWith("file_var[", StringComparison.Ordinal)))
            .Select(q => (q.Key[(q.Key.IndexOf('[', StringComparison.Ordinal) + 1)..^1], q.Value.ToString(), q.Key.StartsWith("file_", StringComparison.Ordinal) ? "file" : "env_var"))];

    /// <summary>The rows as posted (to show them again with an error), empty ones left out.</summary>
    private static List<(string Key, string Value, string Type)> Given(IFormCollection form)
    {
        var keys = form["variables[][key]"];
        var values = form["variables[][value]"];
        var types = form["variables[][variable_type]"];
        return [.. keys.Select((k, i) => (Key: k ?? "", Value: i < values.Count ? values[i] ?? "" : "", Type: i < types.Count ? types[i] ?? "env_var" : "env_var"))
            .Where(r => r.Key.Length > 0 || r.Value.Length > 0)];
    }
}

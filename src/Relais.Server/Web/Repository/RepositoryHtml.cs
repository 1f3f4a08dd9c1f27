using Relais.Git;
using Relais.Server.Storage;
using Relais.Server.Web.Html;

namespace Relais.Server.Web.Repository;

/// <summary>The parts the repository pages share: the ref selector, the path's breadcrumb, a directory's table and a commit's one-line summary.</summary>
internal static class RepositoryHtml
{
    /// <summary>
    /// A form choosing another branch or tag for the same page and path: a plain GET to <c>/-/refs/switch</c>, which
    /// redirects (no script needed).
    /// </summary>
    public static void RefSelector(HtmlBuilder h, ProjectRecord project, IReadOnlyList<GitRef> branches, IReadOnlyList<GitRef> tags, string current, string destination, string path)
    {
        h.Add($"""
            <form method="get" action="/{project.Path}/-/refs/switch" class="filters ref-selector">
            <input type="hidden" name="destination" value="{destination}"><input type="hidden" name="path" value="{path}">
            <span class="field"><label for="ref">Ref</label><select id="ref" name="ref">
            """);
        Options(h, "Branches", branches, current);
        Options(h, "Tags", tags, current);
        if (!branches.Any(b => b.Name == current) && !tags.Any(t => t.Name == current))
        {
            h.Add($"<option value=\"{current}\" selected>{current}</option>");
        }

        h.Raw("</select></span> <button type=\"submit\" class=\"button\">Switch</button></form>");
    }

    /// <summary>The project, then each directory of <paramref name="path"/> as a link to its tree; the last segment as text.</summary>
    public static void Breadcrumb(HtmlBuilder h, ProjectRecord project, string gitRef, string path)
    {
        h.Add($"<nav class=\"breadcrumb\" aria-label=\"Path\"><a href=\"{RepositoryLinks.Tree(project, gitRef)}\">{project.Name}</a>");
        var segments = path.Length == 0 ? [] : path.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            if (i == segments.Length - 1)
            {
                h.Add($" / <span aria-current=\"page\">{segments[i]}</span>");
            }
            else
            {
                h.Add($" / <a href=\"{RepositoryLinks.Tree(project, gitRef, string.Join('/', segments[..(i + 1)]))}\">{segments[i]}</a>");
            }
        }

        h.Raw("</nav>");
    }

    /// <summary>A directory: name (linked to its tree or blob page), last commit's title and age.</summary>
    public static void TreeTable(HtmlBuilder h, ProjectRecord project, string gitRef, string path, IReadOnlyList<ListedEntry> entries, DateTimeOffset now)
    {
        h.Raw("<table class=\"list tree\"><thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Last commit</th><th scope=\"col\">Last update</th></tr></thead><tbody>");
        if (path.Length > 0)
        {
            var parent = path.Contains('/', StringComparison.Ordinal) ? path[..path.LastIndexOf('/')] : "";
            h.Add($"<tr><td data-label=\"Name\"><a href=\"{RepositoryLinks.Tree(project, gitRef, parent)}\" aria-label=\"Parent directory\">..</a></td><td></td><td></td></tr>");
        }

        foreach (var item in entries)
        {
            var (kind, href) = item.Entry.Type switch
            {
                "tree" => ("dir", RepositoryLinks.Tree(project, gitRef, item.FullPath)),
                "commit" => ("submodule", ""),
                _ => ("file", RepositoryLinks.Blob(project, gitRef, item.FullPath)),
            };
            h.Add($"<tr class=\"entry-{kind}\"><td data-label=\"Name\"><span class=\"entry-kind\">{kind}</span> ");
            if (href.Length > 0)
            {
                h.Add($"<a href=\"{href}\">{item.Entry.Name}{(kind == "dir" ? "/" : "")}</a>");
            }
            else
            {
                h.Add($"{item.Entry.Name} @ <code>{Format.ShortSha(item.Entry.ObjectId)}</code>");
            }

            h.Raw("</td><td data-label=\"Last commit\">");
            if (item.LastCommit is { } c)
            {
                h.Add($"<a href=\"{RepositoryLinks.Commit(project, c.Sha)}\">{c.Title}</a>");
            }

            h.Raw("</td><td data-label=\"Last update\">");
            if (item.LastCommit is { } when)
            {
                Age(h, when.CommittedAt, now);
            }

            h.Raw("</td></tr>");
        }

        h.Raw("</tbody></table>");
    }

    /// <summary>A commit in one line: title linked, author, age and short id.</summary>
    public static void CommitLine(HtmlBuilder h, ProjectRecord project, CommitDetails c, DateTimeOffset now)
    {
        h.Add($"<div class=\"commit-line\"><a class=\"commit-title\" href=\"{RepositoryLinks.Commit(project, c.Sha)}\">{c.Title}</a> <span class=\"muted\">{c.AuthorName} authored ");
        Age(h, c.AuthoredAt, now);
        h.Add($"</span> <a href=\"{RepositoryLinks.Commit(project, c.Sha)}\"><code title=\"{c.Sha}\">{Format.ShortSha(c.Sha)}</code></a></div>");
    }

    public static void Age(HtmlBuilder h, DateTimeOffset? at, DateTimeOffset now) =>
        h.Add($"<time datetime=\"{Format.Iso(at)}\">{Format.Age(at, now)}</time>");

    private static void Options(HtmlBuilder h, string label, IReadOnlyList<GitRef> refs, string current)
    {
        if (refs.Count == 0)
        {
            return;
        }

        h.Add($"<optgroup label=\"{label}\">");
        foreach (var r in refs)
        {
            h.Add($"<option value=\"{r.Name}\"{new RawHtml(r.Name == current ? " selected" : "")}>{r.Name}</option>");
        }

        h.Raw("</optgroup>");
    }
}

using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Git;
using Relais.Server.Api;
using Relais.Server.Auth;
using Relais.Server.Storage;
using Relais.Server.Web.Html;
using Relais.Server.Web.Repository;

namespace Relais.Server.Web.Pages;

/// <summary>
/// A repository's history: <c>/-/commits/REF[/PATH]</c> lists commits newest first (<see cref="PerPage"/> a page:
/// title, author, date, id), <c>/-/commit/SHA</c> shows one (message, author, parents) with its diff against the
/// first parent, file by file, added and removed lines marked. Reading needs Reporter.
/// </summary>
internal sealed class CommitPages(WebGuard guard, ProjectRepository repository, TimeProvider time)
{
    public const int PerPage = 40;

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/{group}/{name}/-/commits/{**rest}", (HttpContext http, string group, string name, string? rest) =>
            guard.ProjectAsync(http, group, name, AccessLevel.Reporter, (v, p) => ListAsync(http, v, p, rest)));
        app.MapGet("/{group}/{name}/-/commit/{sha}", (HttpContext http, string group, string name, string sha) =>
            guard.ProjectAsync(http, group, name, AccessLevel.Reporter, (v, p) => OneAsync(http, v, p, sha)));
    }

    private async Task<IResult> ListAsync(HttpContext http, WebViewer viewer, ProjectRecord project, string? rest)
    {
        var cancel = http.RequestAborted;
        var git = repository.Open(project);
        var at = git is null ? null : await RefPath.ResolveAsync(git, RefPath.Decode(rest).Length == 0 ? project.DefaultBranch : rest, cancel);
        if (at is null)
        {
            return Layout.NotFound(viewer, "Ref");
        }

        var page = int.TryParse(http.Request.Query["page"], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and < 100_000 ? n : 1;
        var commits = await git!.LogAsync(at.Commit, (page - 1) * PerPage, PerPage + 1, cancel, at.Path);
        var (branches, tags) = (await git!.ListAsync(RepositoryRefs.Branches, cancel), await git!.ListAsync(RepositoryRefs.Tags, cancel));
        var now = time.GetUtcNow();
        return Layout.Page(viewer, "Commits · " + at.Ref + " · " + project.Path, h =>
        {
            h.Add($"<h1>Commits <small>{at.Ref}{(at.Path.Length == 0 ? "" : " · " + at.Path)}</small></h1>");
            RepositoryHtml.RefSelector(h, project, branches, tags, at.Ref, "commits", "");
            if (commits.Count == 0)
            {
                h.Raw("<p>No commits.</p>");
                return;
            }

            h.Raw("<table class=\"list commits\"><thead><tr><th scope=\"col\">Commit</th><th scope=\"col\">Author</th><th scope=\"col\">Date</th><th scope=\"col\">Id</th></tr></thead><tbody>");
            foreach (var c in commits.Take(PerPage))
            {
                var href = RepositoryLinks.Commit(project, c.Sha);
                h.Add($"<tr><td data-label=\"Commit\"><a href=\"{href}\">{c.Title}</a></td><td data-label=\"Author\">{c.AuthorName}</td><td data-label=\"Date\">");
                RepositoryHtml.Age(h, c.AuthoredAt, now);
                h.Add($"</td><td data-label=\"Id\"><a href=\"{href}\"><code title=\"{c.Sha}\">{Format.ShortSha(c.Sha)}</code></a></td></tr>");
            }

            h.Raw("</tbody></table><nav class=\"pager\" aria-label=\"Pages\">");
            if (page > 1)
            {
                h.Add($"<a href=\"?page={page - 1}\" rel=\"prev\">← Newer</a> ");
            }

            h.Add($"<span>Page {page}</span>");
            if (commits.Count > PerPage)
            {
                h.Add($" <a href=\"?page={page + 1}\" rel=\"next\">Older →</a>");
            }

            h.Raw("</nav>");
        }, project: project, projectTab: "commits");
    }

    private async Task<IResult> OneAsync(HttpContext http, WebViewer viewer, ProjectRecord project, string sha)
    {
        var cancel = http.RequestAborted;
        var git = repository.Open(project);
        var id = sha.Length is >= 4 and <= 64 && sha.All(char.IsAsciiHexDigit) && git is not null ? await git.ResolveCommitAsync(sha, cancel) : null;
        var commit = id is not null && await git!.ReadCommitsAsync([id], cancel) is [var found, ..] ? found : null;
        if (commit is null)
        {
            return Layout.NotFound(viewer, "Commit");
        }

        var diffs = await git!.DiffAsync(commit.ParentShas is [var first, ..] ? first : null, commit.Sha, cancel) ?? [];
        var now = time.GetUtcNow();
        return Layout.Page(viewer, commit.Title + " · " + project.Path, h =>
        {
            h.Add($"<h1>{commit.Title} <small>{Format.ShortSha(commit.Sha)}</small></h1>");
            var body = commit.Message.Length > commit.Title.Length ? commit.Message[commit.Title.Length..].Trim('\n', '\r') : "";
            if (body.Length > 0)
            {
                h.Add($"<pre class=\"commit-message\">{body}</pre>");
            }

            h.Add($"<dl class=\"facts\"><dt>Commit</dt><dd><code>{commit.Sha}</code></dd><dt>Author</dt><dd>{commit.AuthorName} &lt;{commit.AuthorEmail}&gt;, ");
            RepositoryHtml.Age(h, commit.AuthoredAt, now);
            h.Raw("</dd><dt>Parents</dt><dd>");
            if (commit.ParentShas.Count == 0)
            {
                h.Raw("none (the first commit)");
            }

            foreach (var parent in commit.ParentShas)
            {
                h.Add($"<a href=\"{RepositoryLinks.Commit(project, parent)}\"><code>{Format.ShortSha(parent)}</code></a> ");
            }

            h.Add($"</dd><dt>Files</dt><dd><a href=\"{RepositoryLinks.Tree(project, commit.Sha)}\">Browse files at this commit</a></dd></dl>");
            var (added, removed) = (diffs.Sum(d => d.Additions), diffs.Sum(d => d.Deletions));
            h.Add($"<h2>Changes <small>{diffs.Count} {(diffs.Count == 1 ? "file" : "files")}, <span class=\"diff-added\">+{added}</span> <span class=\"diff-removed\">−{removed}</span></small></h2>");
            foreach (var d in diffs)
            {
                FileDiffHtml(h, d);
            }
        }, project: project, projectTab: "commits");
    }

    private static void FileDiffHtml(HtmlBuilder h, FileDiff d)
    {
        var what = d.IsNew ? "added" : d.IsDeleted ? "deleted" : d.IsRenamed ? "renamed" : "changed";
        h.Add($"<section class=\"file-diff\" aria-label=\"{d.NewPath}\"><h3 class=\"file-diff-head\"><span class=\"diff-what\">{what}</span> ");
        h.Add($"{(d.IsRenamed ? d.OldPath + " → " : "")}{d.NewPath} <small><span class=\"diff-added\">+{d.Additions}</span> <span class=\"diff-removed\">−{d.Deletions}</span></small></h3>");
        if (d.TooLarge)
        {
            h.Raw("<p class=\"file-note\">This diff is too large to show.</p></section>");
            return;
        }

        if (d.Patch.Length == 0)
        {
            h.Raw(d.IsRenamed && d.Additions + d.Deletions == 0 ? "<p class=\"file-note\">Renamed without changes.</p></section>" : "<p class=\"file-note\">Binary file (or only its mode changed).</p></section>");
            return;
        }

        h.Raw("<div class=\"code-view\"><table class=\"code diff\"><tbody>");
        foreach (var line in DiffLines.Parse(d.Patch))
        {
            var (css, sign) = line.Kind switch
            {
                DiffLineKind.Added => ("line-added", "+"),
                DiffLineKind.Removed => ("line-removed", "−"),
                DiffLineKind.Hunk => ("line-hunk", ""),
                DiffLineKind.Note => ("line-note", ""),
                _ => ("line-context", ""),
            };
            h.Add($"<tr class=\"{css}\"><td class=\"ln\">{line.OldNumber?.ToString(CultureInfo.InvariantCulture) ?? ""}</td><td class=\"ln\">{line.NewNumber?.ToString(CultureInfo.InvariantCulture) ?? ""}</td>");
            h.Add($"<td class=\"lc\"><span class=\"sign\" aria-hidden=\"true\">{sign}</span>{(line.Kind == DiffLineKind.Added ? new RawHtml("<span class=\"visually-hidden\">added: </span>") : line.Kind == DiffLineKind.Removed ? new RawHtml("<span class=\"visually-hidden\">removed: </span>") : new RawHtml(""))}<code>{line.Text}</code></td></tr>");
        }

        h.Raw("</tbody></table></div></section>");
    }
}

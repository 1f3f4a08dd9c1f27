using System.Text;
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
/// Browsing a repository at a ref, at GitLab's addresses: <c>/-/tree/REF/PATH</c> lists a directory (directories
/// first, each entry's last commit), <c>/-/blob/REF/PATH</c> shows a text file with numbered lines (anchors
/// <c>#L12</c>) or offers a binary or large one for download, <c>/-/raw/REF/PATH</c> sends the bytes (see
/// <see cref="RawFile"/>), and <c>/-/refs/switch</c> sends the ref selector's choice to the same page at the other
/// ref. REF may hold slashes (<see cref="RefPath"/>). Reading needs Reporter (everyone on a public project).
/// </summary>
internal sealed class TreePages(WebGuard guard, ProjectRepository repository, TimeProvider time)
{
    /// <summary>The largest file shown in the page; larger ones are downloaded.</summary>
    public const int MaxShownBytes = 1024 * 1024;

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/{group}/{name}/-/tree/{**rest}", (HttpContext http, string group, string name, string? rest) =>
            guard.ProjectAsync(http, group, name, AccessLevel.Reporter, (v, p) => TreeAsync(http, v, p, rest)));
        app.MapGet("/{group}/{name}/-/blob/{**rest}", (HttpContext http, string group, string name, string? rest) =>
            guard.ProjectAsync(http, group, name, AccessLevel.Reporter, (v, p) => BlobAsync(http, v, p, rest)));
        app.MapGet("/{group}/{name}/-/raw/{**rest}", (HttpContext http, string group, string name, string? rest) =>
            guard.ProjectAsync(http, group, name, AccessLevel.Reporter, (v, p) => RawAsync(http, v, p, rest)));
        app.MapGet("/{group}/{name}/-/refs/switch", (HttpContext http, string group, string name) =>
            guard.ProjectAsync(http, group, name, AccessLevel.Reporter, (v, p) => SwitchAsync(http, v, p)));
    }

    private async Task<IResult> TreeAsync(HttpContext http, WebViewer viewer, ProjectRecord project, string? rest)
    {
        var cancel = http.RequestAborted;
        var git = repository.Open(project);
        var at = git is null ? null : await RefPath.ResolveAsync(git, RefPath.Decode(rest).Length == 0 ? project.DefaultBranch : rest, cancel);
        var entries = at is null ? null : await TreeListing.ListAsync(git!, at.Commit, at.Path, cancel);
        if (at is null || entries is null)
        {
            return Layout.NotFound(viewer, "Tree");
        }

        var (branches, tags) = (await git!.ListAsync(RepositoryRefs.Branches, cancel), await git!.ListAsync(RepositoryRefs.Tags, cancel));
        var now = time.GetUtcNow();
        return Layout.Page(viewer, (at.Path.Length == 0 ? "Files" : at.Path) + " · " + at.Ref + " · " + project.Path, h =>
        {
            h.Raw("<div class=\"repo-bar\">");
            RepositoryHtml.RefSelector(h, project, branches, tags, at.Ref, "tree", at.Path);
            RepositoryHtml.Breadcrumb(h, project, at.Ref, at.Path);
            h.Add($"<a class=\"button small\" href=\"{RepositoryLinks.Commits(project, at.Ref)}\">History</a></div>");
            RepositoryHtml.TreeTable(h, project, at.Ref, at.Path, entries, now);
            if (entries.Count > TreeListing.LastCommitLimit)
            {
                h.Add($"<p class=\"hint\">Last commits are shown for directories of up to {TreeListing.LastCommitLimit} entries.</p>");
            }
        }, project: project, projectTab: "files");
    }

    private async Task<IResult> BlobAsync(HttpContext http, WebViewer viewer, ProjectRecord project, string? rest)
    {
        var cancel = http.RequestAborted;
        var git = repository.Open(project);
        var at = git is null ? null : await RefPath.ResolveAsync(git, rest, cancel);
        var entry = at is { Path.Length: > 0 } ? await git!.FindEntryAsync(at.Commit, at.Path, cancel) : null;
        if (entry is { Type: "tree" })
        {
            return Results.Redirect(RepositoryLinks.Tree(project, at!.Ref, at.Path));
        }

        if (at is null || entry is not { Type: "blob" })
        {
            return Layout.NotFound(viewer, "File");
        }

        var content = entry.Size <= MaxShownBytes ? await git!.ReadBlobAsync(entry.ObjectId, cancel) : null;
        var text = content is not null && !RawFile.IsBinary(content) ? new UTF8Encoding(false).GetString(content) : null;
        var (branches, tags) = (await git!.ListAsync(RepositoryRefs.Branches, cancel), await git!.ListAsync(RepositoryRefs.Tags, cancel));
        var last = await git!.LastCommitAsync(at.Commit, at.Path, cancel) is { } sha && await git!.ReadCommitsAsync([sha], cancel) is [var found, ..] ? found : null;
        var now = time.GetUtcNow();
        return Layout.Page(viewer, at.Path + " · " + at.Ref + " · " + project.Path, h =>
        {
            h.Raw("<div class=\"repo-bar\">");
            RepositoryHtml.RefSelector(h, project, branches, tags, at.Ref, "blob", at.Path);
            RepositoryHtml.Breadcrumb(h, project, at.Ref, at.Path);
            h.Raw("</div>");
            if (last is not null)
            {
                RepositoryHtml.CommitLine(h, project, last, now);
            }

            var raw = RepositoryLinks.Raw(project, at.Ref, at.Path);
            h.Add($"<div class=\"file-bar\"><strong>{entry.Name}</strong> <span class=\"muted\">{Format.Size(entry.Size ?? 0)}</span> <a class=\"button small\" href=\"{raw}\">Open raw</a> <a class=\"button small\" href=\"{raw}?inline=false\" download>Download</a></div>");
            if (text is null)
            {
                h.Add($"<p class=\"file-note\">{(content is null ? "This file is too large to show" : "This is a binary file")}: <a href=\"{raw}?inline=false\" download>download it</a>.</p>");
                return;
            }

            Lines(h, text);
        }, project: project, projectTab: "files");
    }

    /// <summary>The text as a table of numbered lines; each number is a link to its own anchor (<c>#L12</c>).</summary>
    private static void Lines(HtmlBuilder h, string text)
    {
        var lines = text.Split('\n');
        var count = text.EndsWith('\n') ? lines.Length - 1 : lines.Length;
        h.Raw("<div class=\"code-view\"><table class=\"code\"><tbody>");
        for (var i = 0; i < count; i++)
        {
            var n = i + 1;
            h.Add($"<tr><td class=\"ln\"><a id=\"L{n}\" href=\"#L{n}\">{n}</a></td><td class=\"lc\"><code>{lines[i].TrimEnd('\r')}</code></td></tr>");
        }

        h.Raw("</tbody></table></div>");
    }

    private async Task<IResult> RawAsync(HttpContext http, WebViewer viewer, ProjectRecord project, string? rest)
    {
        var cancel = http.RequestAborted;
        var git = repository.Open(project);
        var at = git is null ? null : await RefPath.ResolveAsync(git, rest, cancel);
        var entry = at is { Path.Length: > 0 } ? await git!.FindEntryAsync(at.Commit, at.Path, cancel) : null;
        return at is null || entry is not { Type: "blob" } ? Layout.NotFound(viewer, "File") : new RawFile(git!, entry);
    }

    private async Task<IResult> SwitchAsync(HttpContext http, WebViewer viewer, ProjectRecord project)
    {
        var q = http.Request.Query;
        var (gitRef, path) = (q["ref"].ToString(), q["path"].ToString().Trim('/'));
        var git = repository.Open(project);
        var known = git is not null && gitRef.Length > 0
            && ((await git.ListAsync(RepositoryRefs.Branches, http.RequestAborted)).Any(b => b.Name == gitRef)
                || (await git.ListAsync(RepositoryRefs.Tags, http.RequestAborted)).Any(t => t.Name == gitRef));
        if (!known || (path.Length > 0 && !RepositoryPaths.IsPlain(path)))
        {
            return Layout.NotFound(viewer, "Ref");
        }

        return Results.Redirect(q["destination"].ToString() switch
        {
            "blob" when path.Length > 0 => RepositoryLinks.Blob(project, gitRef, path),
            "commits" => RepositoryLinks.Commits(project, gitRef),
            _ => RepositoryLinks.Tree(project, gitRef, path),
        });
    }
}

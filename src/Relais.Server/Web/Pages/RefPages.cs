using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Git;
using Relais.Server.Api;
using Relais.Server.Auth;
using Relais.Server.Pipelines;
using Relais.Server.Storage;
using Relais.Server.Web.Html;
using Relais.Server.Web.Repository;

namespace Relais.Server.Web.Pages;

/// <summary>
/// A repository's branches (<c>/-/branches</c>: the default first, protected ones marked, each with its last commit
/// and how far it is ahead of and behind the default branch) and tags (<c>/-/tags</c>: by name, with message and
/// commit). Reading needs Reporter.
/// </summary>
internal sealed class RefPages(WebGuard guard, ProjectRepository repository, IProjectStore projectStore, TimeProvider time)
{
    /// <summary>Branches listed a page (each costs one <c>rev-list</c> for ahead/behind).</summary>
    public const int PerPage = 50;

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/{group}/{name}/-/branches", (HttpContext http, string group, string name) =>
            guard.ProjectAsync(http, group, name, AccessLevel.Reporter, (v, p) => BranchesAsync(http, v, p)));
        app.MapGet("/{group}/{name}/-/tags", (HttpContext http, string group, string name) =>
            guard.ProjectAsync(http, group, name, AccessLevel.Reporter, (v, p) => TagsAsync(http, v, p)));
    }

    private async Task<IResult> BranchesAsync(HttpContext http, WebViewer viewer, ProjectRecord project)
    {
        var cancel = http.RequestAborted;
        var git = repository.Open(project);
        var all = git is null ? [] : await git.ListAsync(RepositoryRefs.Branches, cancel);
        var page = int.TryParse(http.Request.Query["page"], out var n) && n is > 0 and < 100_000 ? n : 1;
        var branches = all.OrderBy(b => b.Name == project.DefaultBranch ? 0 : 1).ThenBy(b => b.Name, StringComparer.Ordinal)
            .Skip((page - 1) * PerPage).Take(PerPage).ToList();
        var commits = git is null ? new Dictionary<string, CommitDetails>()
            : (await git.ReadCommitsAsync([.. branches.Select(b => b.CommitSha).OfType<string>().Distinct(StringComparer.Ordinal)], cancel)).ToDictionary(c => c.Sha, StringComparer.Ordinal);
        var hasDefault = all.Any(b => b.Name == project.DefaultBranch);
        var counts = new Dictionary<string, (int Ahead, int Behind)>(StringComparer.Ordinal);
        foreach (var b in branches.Where(b => hasDefault && b.Name != project.DefaultBranch))
        {
            if (await git!.AheadBehindAsync(RepositoryRefs.Branches + project.DefaultBranch, RepositoryRefs.Branches + b.Name, cancel) is { } c)
            {
                counts[b.Name] = c;
            }
        }

        var rules = await projectStore.ListProtectedBranchesAsync(project.Id, cancel);
        var now = time.GetUtcNow();
        return Layout.Page(viewer, "Branches · " + project.Path, h =>
        {
            h.Raw("<h1>Branches</h1>");
            if (all.Count == 0)
            {
                h.Raw("<p>No branches yet: push one.</p>");
                return;
            }

            h.Raw("<table class=\"list branches\"><thead><tr><th scope=\"col\">Branch</th><th scope=\"col\">Last commit</th><th scope=\"col\">Updated</th><th scope=\"col\">Behind | ahead of default</th></tr></thead><tbody>");
            foreach (var b in branches)
            {
                h.Add($"<tr data-branch=\"{b.Name}\"><td data-label=\"Branch\"><a href=\"{RepositoryLinks.Tree(project, b.Name)}\">{b.Name}</a>");
                if (b.Name == project.DefaultBranch)
                {
                    h.Raw(" <span class=\"tag-label\">default</span>");
                }

                if (rules.Any(r => ProtectedRefs.Matches(r.Name, b.Name)))
                {
                    h.Raw(" <span class=\"tag-label protected\">protected</span>");
                }

                h.Raw("</td><td data-label=\"Last commit\">");
                var commit = b.CommitSha is { } sha ? commits.GetValueOrDefault(sha) : null;
                if (commit is not null)
                {
                    h.Add($"<a href=\"{RepositoryLinks.Commit(project, commit.Sha)}\"><code>{Format.ShortSha(commit.Sha)}</code></a> {commit.Title}");
                }

                h.Raw("</td><td data-label=\"Updated\">");
                RepositoryHtml.Age(h, commit?.CommittedAt, now);
                h.Raw("</td><td data-label=\"Behind | ahead\">");
                if (counts.TryGetValue(b.Name, out var c))
                {
                    h.Add($"<span title=\"{c.Behind} commits behind {project.DefaultBranch}\">{c.Behind}</span> | <span title=\"{c.Ahead} commits ahead of {project.DefaultBranch}\">{c.Ahead}</span>");
                }

                h.Add($"</td></tr>");
            }

            h.Raw("</tbody></table>");
            if (all.Count > PerPage)
            {
                h.Raw("<nav class=\"pager\" aria-label=\"Pages\">");
                if (page > 1)
                {
                    h.Add($"<a href=\"?page={page - 1}\" rel=\"prev\">← Previous</a> ");
                }

                h.Add($"<span>Page {page} of {(all.Count + PerPage - 1) / PerPage}</span>");
                if (page * PerPage < all.Count)
                {
                    h.Add($" <a href=\"?page={page + 1}\" rel=\"next\">Next →</a>");
                }

                h.Raw("</nav>");
            }
        }, project: project, projectTab: "branches");
    }

    private async Task<IResult> TagsAsync(HttpContext http, WebViewer viewer, ProjectRecord project)
    {
        var cancel = http.RequestAborted;
        var git = repository.Open(project);
        var tags = git is null ? [] : await git.ListAsync(RepositoryRefs.Tags, cancel);
        var commits = git is null ? new Dictionary<string, CommitDetails>()
            : (await git.ReadCommitsAsync([.. tags.Select(t => t.CommitSha).OfType<string>().Distinct(StringComparer.Ordinal)], cancel)).ToDictionary(c => c.Sha, StringComparer.Ordinal);
        var now = time.GetUtcNow();
        return Layout.Page(viewer, "Tags · " + project.Path, h =>
        {
            h.Raw("<h1>Tags</h1>");
            if (tags.Count == 0)
            {
                h.Raw("<p>No tags yet.</p>");
                return;
            }

            h.Raw("<table class=\"list tags\"><thead><tr><th scope=\"col\">Tag</th><th scope=\"col\">Message</th><th scope=\"col\">Commit</th><th scope=\"col\">Date</th></tr></thead><tbody>");
            foreach (var t in tags)
            {
                var commit = t.CommitSha is { } sha ? commits.GetValueOrDefault(sha) : null;
                h.Add($"<tr data-tag=\"{t.Name}\"><td data-label=\"Tag\"><a href=\"{RepositoryLinks.Tree(project, t.Name)}\">{t.Name}</a></td><td data-label=\"Message\">{t.TagMessage ?? ""}</td><td data-label=\"Commit\">");
                if (commit is not null)
                {
                    h.Add($"<a href=\"{RepositoryLinks.Commit(project, commit.Sha)}\"><code>{Format.ShortSha(commit.Sha)}</code></a> {commit.Title}");
                }

                h.Raw("</td><td data-label=\"Date\">");
                RepositoryHtml.Age(h, t.TaggedAt ?? commit?.CommittedAt, now);
                h.Raw("</td></tr>");
            }

            h.Raw("</tbody></table>");
        }, project: project, projectTab: "tags");
    }
}

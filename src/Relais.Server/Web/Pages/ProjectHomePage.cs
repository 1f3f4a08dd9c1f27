using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Git;
using Relais.Server.Api;
using Relais.Server.Auth;
using Relais.Server.Git;
using Relais.Server.Storage;
using Relais.Server.Web.Html;
using Relais.Server.Web.Repository;

namespace Relais.Server.Web.Pages;

/// <summary>
/// A project's front page, <c>/GROUP/PROJECT</c>: its name and visibility, clone addresses (HTTP, and SSH when the
/// server runs it) in read-only fields, the default branch's last commit and latest pipeline, the root directory
/// and its README rendered (<see cref="MarkdownHtml"/>). A repository without commits shows how to push one.
/// </summary>
internal sealed class ProjectHomePage(WebGuard guard, ProjectRepository repository, CloneUrls cloneUrls, IPipelineStore pipelineStore, TimeProvider time)
{
    /// <summary>The largest README rendered; a larger one is linked.</summary>
    public const int MaxReadmeBytes = 512 * 1024;

    private static readonly string[] ReadmeNames = ["README.md", "README.markdown", "README", "README.txt"];

    public void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/{group}/{name}", (HttpContext http, string group, string name) =>
            guard.ProjectAsync(http, group, name, AccessLevel.Reporter, (v, p) => PageAsync(http, v, p)));

    private async Task<IResult> PageAsync(HttpContext http, WebViewer viewer, ProjectRecord project)
    {
        var cancel = http.RequestAborted;
        var git = repository.Open(project);
        var branches = git is null ? [] : await git.ListAsync(RepositoryRefs.Branches, cancel);
        var branch = branches.FirstOrDefault(b => b.Name == project.DefaultBranch) ?? (branches is [var first, ..] ? first : null);
        if (git is null || branch?.CommitSha is not { } commit)
        {
            return Layout.Page(viewer, project.Path, h => { Header(h, project); Empty(h, project); }, project: project, projectTab: "project");
        }

        var entries = await TreeListing.ListAsync(git, commit, "", cancel) ?? [];
        var last = await git.ReadCommitsAsync([commit], cancel) is [var head, ..] ? head : null;
        var pipeline = (await pipelineStore.ListPipelinesAsync(project.Id, new ListQuery([], 0, 1) { Ref = branch.Name }, cancel)).Items is [var newest, ..] ? newest : null;
        var readme = await ReadmeAsync(git, project, branch.Name, entries, cancel);
        var now = time.GetUtcNow();
        return Layout.Page(viewer, project.Path, h =>
        {
            Header(h, project);
            h.Add($"<p class=\"project-stats\"><a href=\"{RepositoryLinks.Branches(project)}\">{Count(branches.Count, "branch", "branches")}</a> · <a href=\"{RepositoryLinks.Commits(project, branch.Name)}\">History of {branch.Name}</a></p>");
            if (last is not null)
            {
                h.Raw("<section class=\"card wide last-commit\" aria-label=\"Last commit\">");
                RepositoryHtml.CommitLine(h, project, last, now);
                if (pipeline is not null)
                {
                    h.Add($"<p>Pipeline <a href=\"/{project.Path}/-/pipelines/{pipeline.Id}\">#{pipeline.Id}</a> ");
                    StatusBadge.Write(h, pipeline.Status);
                    h.Add($" on {pipeline.Ref}</p>");
                }

                h.Raw("</section>");
            }

            RepositoryHtml.TreeTable(h, project, branch.Name, "", entries, now);
            if (readme is not null)
            {
                h.Add($"<article class=\"readme\" aria-labelledby=\"readme-title\"><h2 id=\"readme-title\">{readme.Value.Name}</h2>{readme.Value.Html}</article>");
            }
        }, project: project, projectTab: "project");
    }

    private void Header(HtmlBuilder h, ProjectRecord project)
    {
        h.Add($"<h1>{project.Name} <small>{project.Namespace}</small></h1><p>");
        StatusBadge.Write(h, project.Visibility);
        h.Raw("</p><div class=\"clone\">");
        CloneField(h, "clone-http", "Clone with HTTP", cloneUrls.Http(project));
        if (cloneUrls.Ssh(project) is { } ssh)
        {
            CloneField(h, "clone-ssh", "Clone with SSH", ssh);
        }

        h.Raw("</div>");
    }

    private static void CloneField(HtmlBuilder h, string id, string label, string url) =>
        h.Add($"<span class=\"field\"><label for=\"{id}\">{label}</label><input id=\"{id}\" type=\"text\" readonly value=\"{url}\" spellcheck=\"false\"></span>");

    /// <summary>What to do with an empty repository: clone it and push a first commit, or push an existing one.</summary>
    private void Empty(HtmlBuilder h, ProjectRecord project)
    {
        var url = cloneUrls.Ssh(project) ?? cloneUrls.Http(project);
        var branch = project.DefaultBranch;
        h.Add($"""
            <section class="empty-repository" aria-labelledby="empty-title">
            <h2 id="empty-title">The repository for this project is empty</h2>
            <p>Push commits to it with git. The first push to <code>{branch}</code> makes it the default branch, and every push runs the project's <code>.gitlab-ci.yml</code>.</p>
            <h3>Create a new repository</h3>
            <pre class="commands"><code>git clone {url}
            cd {project.Name}
            git switch --create {branch}
            touch README.md
            git add README.md
            git commit -m "Add README"
            git push --set-upstream origin {branch}</code></pre>
            <h3>Push an existing folder</h3>
            <pre class="commands"><code>cd existing_folder
            git init --initial-branch={branch}
            git remote add origin {url}
            git add .
            git commit -m "Initial commit"
            git push --set-upstream origin {branch}</code></pre>
            <h3>Push an existing Git repository</h3>
            <pre class="commands"><code>cd existing_repo
            git remote rename origin old-origin
            git remote add origin {url}
            git push --set-upstream origin --all
            git push --set-upstream origin --tags</code></pre>
            </section>
            """);
    }

    /// <summary>The root's README at <paramref name="gitRef"/>, rendered (Markdown) or as text; null when there is none.</summary>
    private static async Task<(string Name, RawHtml Html)?> ReadmeAsync(GitRepository git, ProjectRecord project, string gitRef, IReadOnlyList<ListedEntry> entries, CancellationToken cancel)
    {
        var file = ReadmeNames.Select(n => entries.FirstOrDefault(e => e.Entry.Type == "blob" && string.Equals(e.Entry.Name, n, StringComparison.OrdinalIgnoreCase)))
            .FirstOrDefault(e => e is not null);
        if (file is null)
        {
            return null;
        }

        var name = file.Entry.Name;
        if (file.Entry.Size > MaxReadmeBytes || await git.ReadBlobAsync(file.Entry.ObjectId, cancel) is not { } bytes)
        {
            var link = new HtmlBuilder();
            link.Add($"<p>The README is too large to show here: <a href=\"{RepositoryLinks.Blob(project, gitRef, name)}\">open it</a>.</p>");
            return (name, new RawHtml(link.ToString()));
        }

        var text = new System.Text.UTF8Encoding(false).GetString(bytes).TrimStart('\uFEFF');
        if (name.EndsWith(".md", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".markdown", StringComparison.OrdinalIgnoreCase))
        {
            return (name, MarkdownHtml.Render(text, new RepositoryLinks.Relative(project, gitRef, "")));
        }

        var plain = new HtmlBuilder();
        plain.Add($"<pre class=\"readme-text\">{text}</pre>");
        return (name, new RawHtml(plain.ToString()));
    }

    private static string Count(int n, string one, string many) => n.ToString(System.Globalization.CultureInfo.InvariantCulture) + " " + (n == 1 ? one : many);
}

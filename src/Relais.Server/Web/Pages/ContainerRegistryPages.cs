using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Auth;
using Relais.Server.Registry;
using Relais.Server.Security;
using Relais.Server.Storage;
using Relais.Server.Web.Html;
using Relais.Server.Web.Repository;

namespace Relais.Server.Web.Pages;

/// <summary>
/// A project's container registry at GitLab's address (<c>/GROUP/PROJECT/container_registry</c>, Reporter, anyone on a
/// public project): the <c>docker login</c> line and each repository with its tag count; <c>…/container_registry/:id</c>
/// lists a repository's tags with size, short digest, build time and the <c>docker pull</c> command. Developers may
/// delete a tag, Maintainers a repository (POST forms with the anti-forgery token), as the REST API allows. While
/// garbage collection runs the registry is read-only, and the page says so.
/// </summary>
internal sealed class ContainerRegistryPages(
    WebGuard guard, AuditLog auditLog, IContainerRepositoryStore repositories, RegistryClient client, RegistrySetup registry, TimeProvider time)
{
    /// <summary>Tags shown with their details on a repository's page (each costs the registry two calls).</summary>
    public const int Shown = 100;

    private const string Base = "/{group}/{name}/container_registry";

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(Base, (HttpContext http, string group, string name) =>
            guard.ProjectAsync(http, group, name, AccessLevel.Reporter, (v, p) => IndexAsync(http, v, p)));
        app.MapGet(Base + "/{id:long}", (HttpContext http, string group, string name, long id) =>
            guard.ProjectAsync(http, group, name, AccessLevel.Reporter, (v, p) => InProjectAsync(http, v, p, id, r => TagsAsync(http, v, p, r))));
        app.MapPost(Base + "/{id:long}/tags/delete", (HttpContext http, string group, string name, long id) =>
            guard.ProjectPostAsync(http, group, name, (v, p, form) => InProjectAsync(http, v, p, id, async r =>
            {
                var tag = form["tag"].ToString();
                var path = r.PathIn(p.Path);
                if (tag.Length > 0 && (await client.ListTagsAsync(path, http.RequestAborted)).Contains(tag, StringComparer.Ordinal))
                {
                    await client.DeleteTagsAsync(path, [tag], CancellationToken.None);
                    await auditLog.RecordAsync(http, AuditActor.Of(v.User), "container_tag_deleted", "Project", p.Id, p.Path, path + ":" + tag + " (web)");
                }

                return WebGuard.SeeOther($"/{p.Path}/container_registry/{r.Id}?deleted=1");
            })));
        app.MapPost(Base + "/{id:long}/delete", (HttpContext http, string group, string name, long id) =>
            guard.ProjectPostAsync(http, group, name, (v, p, _) => InProjectAsync(http, v, p, id, async r =>
            {
                var path = r.PathIn(p.Path);
                await client.DeleteTagsAsync(path, await client.ListTagsAsync(path, http.RequestAborted), CancellationToken.None);
                await repositories.DeleteAsync(r.Id, CancellationToken.None);
                await auditLog.RecordAsync(http, AuditActor.Of(v.User), "container_repository_deleted", "Project", p.Id, p.Path, path + " (web)");
                return WebGuard.SeeOther($"/{p.Path}/container_registry?deleted=1");
            }), AccessLevel.Maintainer));
    }

    private async Task<IResult> InProjectAsync(HttpContext http, WebViewer viewer, ProjectRecord project, long id, Func<ContainerRepositoryRecord, Task<IResult>> handler)
    {
        if (await repositories.GetAsync(id, http.RequestAborted) is not { } repository || repository.ProjectId != project.Id)
        {
            return Layout.NotFound(viewer, "Container repository");
        }

        try
        {
            return await handler(repository);
        }
        catch (Exception e) when (e is RegistryException or HttpRequestException)
        {
            return Layout.Page(viewer, "Container registry unavailable", h => h.Add($"<h1>Container registry unavailable</h1><p class=\"flash flash-error\" role=\"alert\">{e.Message}</p>"),
                StatusCodes.Status503ServiceUnavailable, project, "registry");
        }
    }

    private async Task<IResult> IndexAsync(HttpContext http, WebViewer viewer, ProjectRecord project)
    {
        var list = await repositories.ListAsync(project.Id, http.RequestAborted);
        var counts = new Dictionary<long, int?>();
        foreach (var r in list)
        {
            try
            {
                counts[r.Id] = (await client.ListTagsAsync(r.PathIn(project.Path), http.RequestAborted)).Count;
            }
            catch (Exception e) when (e is RegistryException or HttpRequestException)
            {
                counts[r.Id] = null; // shown as unknown: the page still lists what is recorded
            }
        }

        var now = time.GetUtcNow();
        return Layout.Page(viewer, "Container registry · " + project.Path, h =>
        {
            h.Raw("<h1>Container registry</h1>");
            Notices(h, http);
            Login(h, viewer, project);
            if (list.Count == 0)
            {
                h.Add($"<p>No container images yet. Push one from a job: <code>docker push {registry.ImageOf(project.Path)}:TAG</code> after logging in with <code>$CI_REGISTRY_USER</code> and <code>$CI_REGISTRY_PASSWORD</code>.</p>");
                return;
            }

            h.Raw("<table class=\"list\"><thead><tr><th scope=\"col\">Repository</th><th scope=\"col\">Tags</th><th scope=\"col\">Created</th></tr></thead><tbody>");
            foreach (var r in list)
            {
                var path = r.PathIn(project.Path);
                h.Add($"<tr data-repository=\"{path}\"><td data-label=\"Repository\"><a href=\"/{project.Path}/container_registry/{r.Id}\"><code>{path}</code></a></td>");
                h.Add($"<td data-label=\"Tags\">{(counts[r.Id] is { } n ? (n == 1 ? "1 tag" : $"{n} tags") : "unknown (the registry did not answer)")}</td><td data-label=\"Created\">");
                RepositoryHtml.Age(h, r.CreatedAt, now);
                h.Raw("</td></tr>");
            }

            h.Raw("</tbody></table>");
        }, project: project, projectTab: "registry");
    }

    private async Task<IResult> TagsAsync(HttpContext http, WebViewer viewer, ProjectRecord project, ContainerRepositoryRecord repository)
    {
        var path = repository.PathIn(project.Path);
        var names = await client.ListTagsAsync(path, http.RequestAborted);
        var tags = new List<RegistryTagDetails>();
        foreach (var name in names.Take(Shown))
        {
            if (await client.GetTagAsync(path, name, http.RequestAborted) is { } details)
            {
                tags.Add(details);
            }
        }

        var now = time.GetUtcNow();
        var canDeleteTags = viewer.Caller.Has(project, AccessLevel.Developer);
        return Layout.Page(viewer, path + " · Container registry", h =>
        {
            h.Add($"<p><a href=\"/{project.Path}/container_registry\">Container registry</a></p><h1><code>{path}</code></h1>");
            Notices(h, http);
            Login(h, viewer, project);
            h.Add($"<p>{(names.Count == 1 ? "1 tag" : $"{names.Count} tags")}{(names.Count > Shown ? $", the first {Shown} shown" : "")}.</p>");
            if (tags.Count > 0)
            {
                h.Raw("<table class=\"list\"><thead><tr><th scope=\"col\">Tag</th><th scope=\"col\">Size</th><th scope=\"col\">Digest</th><th scope=\"col\">Built</th><th scope=\"col\">Pull</th>");
                h.Raw(canDeleteTags ? "<th scope=\"col\"><span class=\"visually-hidden\">Actions</span></th></tr></thead><tbody>" : "</tr></thead><tbody>");
                foreach (var t in tags)
                {
                    var digest = t.Digest[(t.Digest.IndexOf(':', StringComparison.Ordinal) + 1)..];
                    h.Add($"<tr data-tag=\"{t.Name}\"><td data-label=\"Tag\"><code>{t.Name}</code></td><td data-label=\"Size\">{Format.Size(t.TotalSize)}</td>");
                    h.Add($"<td data-label=\"Digest\"><code title=\"{t.Digest}\">{digest[..Math.Min(12, digest.Length)]}</code></td><td data-label=\"Built\">");
                    RepositoryHtml.Age(h, t.CreatedAt, now);
                    h.Add($"</td><td data-label=\"Pull\"><code>docker pull {registry.Address}/{path}:{t.Name}</code></td>");
                    if (canDeleteTags)
                    {
                        h.Add($"<td><form method=\"post\" action=\"/{project.Path}/container_registry/{repository.Id}/tags/delete\" class=\"inline\">");
                        Layout.Csrf(h, viewer);
                        h.Add($"<input type=\"hidden\" name=\"tag\" value=\"{t.Name}\"><button type=\"submit\" class=\"button small danger\" aria-label=\"Delete tag {t.Name}\">Delete</button></form></td>");
                    }

                    h.Raw("</tr>");
                }

                h.Raw("</tbody></table>");
            }

            if (viewer.Caller.Has(project, AccessLevel.Maintainer))
            {
                h.Raw("<h2>Delete this repository</h2><p>Deletes every tag, then the repository. The space is freed by the next garbage collection.</p>");
                Layout.ActionButton(h, viewer, $"/{project.Path}/container_registry/{repository.Id}/delete", "Delete repository", $"Delete repository {path}", "button danger");
            }
        }, project: project, projectTab: "registry");
    }

    /// <summary>The read-only notice while garbage collection runs, and what the last form did.</summary>
    private void Notices(HtmlBuilder h, HttpContext http)
    {
        if (registry.Maintenance?.IsReadOnly == true)
        {
            h.Raw("<p class=\"flash flash-error\" role=\"alert\">The registry is read-only while garbage collection runs: pushes fail until it ends. Pulls still work.</p>");
        }

        if (http.Request.Query["deleted"] == "1")
        {
            h.Raw("<p class=\"flash\" role=\"status\">Deleted. The space is freed by the next garbage collection.</p>");
        }
    }

    private void Login(HtmlBuilder h, WebViewer viewer, ProjectRecord project)
    {
        var user = viewer.User?.Username ?? "USERNAME";
        h.Add($"<p>Log in with a personal access token (scope <code>read_registry</code>, or <code>write_registry</code> to push): <code>docker login -u {user} {registry.Address}</code></p>");
        h.Add($"<p>This project's image: <code>{registry.ImageOf(project.Path)}</code></p>");
    }
}

using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Auth;
using Relais.Server.Environments;
using Relais.Server.Security;
using Relais.Server.Storage;
using Relais.Server.Web.Html;

namespace Relais.Server.Web.Environments;

/// <summary>
/// One environment (<c>/-/environments/:id</c>, Reporter): its facts (tier, URL, Kubernetes namespace, auto-stop) and
/// its deployments, newest first, <see cref="PerPage"/> a page. Developers re-deploy the last deployment or roll back to
/// an earlier successful one and stop the environment; Maintainers delete a stopped one. Every action asks first (a
/// disclosure, no script), is a POST with the anti-forgery token, goes through <see cref="IEnvironmentActions"/> (as the
/// REST API does) and is audited.
/// </summary>
internal sealed class EnvironmentPage(WebGuard guard, AuditLog auditLog, IEnvironmentActions actions, IEnvironmentStore environments, IDeploymentStore deployments, IPipelineStore pipelines, IIdentityStore identity, TimeProvider time)
{
    public const int PerPage = 20;

    private const string Route = "/{group}/{name}/-/environments/{id:long}";

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(Route, (HttpContext http, string group, string name, long id) =>
            guard.ProjectAsync(http, group, name, AccessLevel.Reporter, (v, p) => InProjectAsync(http, v, p, id, e => ShowAsync(http, v, p, e, null))));
        app.MapPost(Route + "/stop", (HttpContext http, string group, string name, long id) =>
            guard.ProjectPostAsync(http, group, name, (v, p, form) => InProjectAsync(http, v, p, id, e => StopAsync(http, v, p, e, form))));
        app.MapPost(Route + "/redeploy", (HttpContext http, string group, string name, long id) =>
            guard.ProjectPostAsync(http, group, name, (v, p, form) => InProjectAsync(http, v, p, id, e => RedeployAsync(http, v, p, e, form))));
        app.MapPost(Route + "/delete", (HttpContext http, string group, string name, long id) =>
            guard.ProjectPostAsync(http, group, name, (v, p, _) => InProjectAsync(http, v, p, id, e => DeleteAsync(http, v, p, e)), AccessLevel.Maintainer));
    }

    private async Task<IResult> InProjectAsync(HttpContext http, WebViewer viewer, ProjectRecord project, long id, Func<EnvironmentRecord, Task<IResult>> handler) =>
        await environments.GetAsync(id, http.RequestAborted) is { } e && e.ProjectId == project.Id ? await handler(e) : Layout.NotFound(viewer, "Environment");

    private async Task<IResult> StopAsync(HttpContext http, WebViewer viewer, ProjectRecord project, EnvironmentRecord environment, IFormCollection form)
    {
        var outcome = await actions.StopAsync(environment, viewer.User?.Id, force: false, CancellationToken.None);
        await auditLog.RecordAsync(http, AuditActor.Of(viewer.User), "environment_stopped", "Environment", environment.Id, environment.Name, outcome.Error is null ? "web" : "web, rejected: " + outcome.Error);
        if (outcome.Error is { } error)
        {
            return await ShowAsync(http, viewer, project, environment, error);
        }

        var back = WebSessions.SafeReturnPath(form["return_to"]);
        return WebGuard.SeeOther(back.StartsWith($"/{project.Path}/-/environments", StringComparison.Ordinal) ? back : EnvironmentHtml.Of(project, environment.Id));
    }

    private async Task<IResult> RedeployAsync(HttpContext http, WebViewer viewer, ProjectRecord project, EnvironmentRecord environment, IFormCollection form)
    {
        if (!long.TryParse(form["deployment_id"], NumberStyles.None, CultureInfo.InvariantCulture, out var deploymentId)
            || await deployments.GetAsync(deploymentId, http.RequestAborted) is not { } deployment
            || deployment.EnvironmentId != environment.Id || deployment.ProjectId != project.Id)
        {
            return Layout.NotFound(viewer, "Deployment");
        }

        var outcome = await actions.RedeployAsync(deployment, viewer.User?.Id, CancellationToken.None);
        var details = string.Create(CultureInfo.InvariantCulture, $"deployment #{deployment.Iid}, web{(outcome.Error is null ? "" : ", rejected: " + outcome.Error)}");
        await auditLog.RecordAsync(http, AuditActor.Of(viewer.User), "deployment_redeployed", "Environment", environment.Id, environment.Name, details);
        return outcome.JobId is { } job
            ? WebGuard.SeeOther(EnvironmentHtml.Job(project, job))
            : await ShowAsync(http, viewer, project, environment, "This deployment was not re-deployed: " + (outcome.Error ?? "no job was started") + ".");
    }

    private async Task<IResult> DeleteAsync(HttpContext http, WebViewer viewer, ProjectRecord project, EnvironmentRecord environment)
    {
        if (environment.State != EnvironmentStates.Stopped)
        {
            return await ShowAsync(http, viewer, project, environment, "Stop the environment before deleting it.");
        }

        await environments.DeleteAsync(environment.Id, CancellationToken.None);
        await auditLog.RecordAsync(http, AuditActor.Of(viewer.User), "environment_deleted", "Environment", environment.Id, environment.Name, "web");
        return WebGuard.SeeOther(EnvironmentHtml.Index(project, stopped: true));
    }

    /// <summary>The page; with <paramref name="error"/> (an action refused) it says why, answered 400.</summary>
    private async Task<IResult> ShowAsync(HttpContext http, WebViewer viewer, ProjectRecord project, EnvironmentRecord e, string? error)
    {
        var cancel = http.RequestAborted;
        var page = int.TryParse(http.Request.Query["page"], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 1;
        var filter = new DeploymentFilter { EnvironmentId = e.Id, OrderBy = "id", Ascending = false };
        var (list, total) = await deployments.ListAsync(project.Id, filter, (page - 1) * PerPage, PerPage, cancel);
        var facts = await new DeploymentFacts(pipelines, identity).OfAsync(list, cancel);
        var lastId = (await deployments.LastAsync(e.Id, cancel: cancel))?.Id;
        var now = time.GetUtcNow();
        var canDeploy = viewer.Caller.Has(project, AccessLevel.Developer);
        var canDelete = viewer.Caller.Has(project, AccessLevel.Maintainer);
        return Layout.Page(viewer, $"{e.Name} · Environments · {project.Path}", h =>
        {
            h.Add($"<p><a href=\"{EnvironmentHtml.Index(project)}\">Environments</a>");
            if (e.Folder is { } folder)
            {
                h.Add($" / <a href=\"{EnvironmentHtml.Folder(project, folder)}\">{folder}</a>");
            }

            h.Add($"</p><h1>{e.Name} ");
            EnvironmentBadges.State(h, e.State);
            h.Raw("</h1>");
            Layout.ErrorFlash(h, error);
            Facts(h, e, now);
            Actions(h, viewer, project, e, canDeploy, canDelete);
            h.Add($"<h2 id=\"deployments-title\">Deployments <span class=\"count\">{total}</span></h2>");
            if (total == 0)
            {
                h.Raw("<p>No deployments yet.</p>");
                return;
            }

            History(h, viewer, project, e, facts, lastId, canDeploy, now);
            Pager(h, project, e, page, (total + PerPage - 1) / PerPage);
        }, error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest, project, "environments");
    }

    private static void Facts(HtmlBuilder h, EnvironmentRecord e, DateTimeOffset now)
    {
        h.Add($"<dl class=\"facts\"><dt>Tier</dt><dd><span class=\"tag-label\">{e.Tier}</span></dd><dt>External URL</dt><dd>");
        if (e.ExternalUrl is null)
        {
            h.Raw("—");
        }

        EnvironmentHtml.ExternalUrl(h, e.ExternalUrl);
        h.Raw("</dd>");
        if (e.KubernetesNamespace is { } ns)
        {
            h.Add($"<dt>Kubernetes namespace</dt><dd><code>{ns}</code></dd>");
        }

        if (e.AutoStopAt is not null && e.State == EnvironmentStates.Available)
        {
            h.Raw("<dt>Auto stop</dt><dd>");
            EnvironmentHtml.AutoStop(h, e.AutoStopAt, now);
            h.Raw("</dd>");
        }

        h.Raw("<dt>Created</dt><dd>");
        Repository.RepositoryHtml.Age(h, e.CreatedAt, now);
        h.Raw("</dd></dl>");
    }

    private static void Actions(HtmlBuilder h, WebViewer viewer, ProjectRecord project, EnvironmentRecord e, bool canDeploy, bool canDelete)
    {
        if (!canDeploy)
        {
            return;
        }

        h.Raw("<div class=\"actions\">");
        EnvironmentRows.StopButton(h, viewer, project, e, EnvironmentHtml.Of(project, e.Id));
        if (canDelete && e.State == EnvironmentStates.Stopped)
        {
            h.Add($"<details class=\"confirm\"><summary class=\"button danger\" aria-label=\"Delete {e.Name}\">Delete</summary><form method=\"post\" action=\"{EnvironmentHtml.Of(project, e.Id)}/delete\">");
            Layout.Csrf(h, viewer);
            h.Add($"<p>Delete <strong>{e.Name}</strong> and its deployment history? This cannot be undone.</p><button type=\"submit\" class=\"button danger\" aria-label=\"Delete environment {e.Name}\">Delete environment</button></form></details>");
        }

        h.Raw("</div>");
    }

    private static void History(HtmlBuilder h, WebViewer viewer, ProjectRecord project, EnvironmentRecord e, IReadOnlyList<DeploymentFact> facts, long? lastId, bool canDeploy, DateTimeOffset now)
    {
        h.Raw("<table class=\"list deployments\" aria-labelledby=\"deployments-title\"><thead><tr><th scope=\"col\">ID</th><th scope=\"col\">Status</th><th scope=\"col\">Commit</th><th scope=\"col\">Job</th><th scope=\"col\">User</th><th scope=\"col\">Created</th><th scope=\"col\">Finished</th>");
        h.Raw(canDeploy ? "<th scope=\"col\"><span class=\"visually-hidden\">Actions</span></th></tr></thead><tbody>" : "</tr></thead><tbody>");
        foreach (var f in facts)
        {
            var d = f.Deployment;
            h.Add($"<tr data-deployment=\"{d.Iid}\"><td data-label=\"ID\">#{d.Iid}</td><td data-label=\"Status\">");
            EnvironmentBadges.Deployment(h, d.Status);
            h.Raw("</td><td data-label=\"Commit\">");
            EnvironmentHtml.Commit(h, project, f);
            h.Raw("</td><td data-label=\"Job\">");
            if (f.Job is { } job)
            {
                h.Add($"<a href=\"{EnvironmentHtml.Job(project, job.Id)}\">{job.Name} #{job.Id}</a>");
            }
            else
            {
                h.Raw("—");
            }

            h.Add($"</td><td data-label=\"User\">{f.User?.Username ?? "—"}</td><td data-label=\"Created\">");
            Repository.RepositoryHtml.Age(h, d.CreatedAt, now);
            h.Raw("</td><td data-label=\"Finished\">");
            Repository.RepositoryHtml.Age(h, d.FinishedAt, now);
            h.Raw("</td>");
            if (canDeploy)
            {
                h.Raw("<td>");
                RedeployButton(h, viewer, project, e, f, isLast: d.Id == lastId);
                h.Raw("</td>");
            }

            h.Raw("</tr>");
        }

        h.Raw("</tbody></table>");
    }

    /// <summary>
    /// GitLab's two buttons: "Re-deploy" on the environment's last deployment once it has finished, "Rollback" on an
    /// earlier successful one; both retry the deployment's job, so a deployment without a job has neither.
    /// </summary>
    private static void RedeployButton(HtmlBuilder h, WebViewer viewer, ProjectRecord project, EnvironmentRecord e, DeploymentFact f, bool isLast)
    {
        var d = f.Deployment;
        if (f.Job is null || (isLast ? !DeploymentStatuses.IsFinished(d.Status) : d.Status != DeploymentStatuses.Success))
        {
            return;
        }

        var (label, question) = isLast
            ? ("Re-deploy", $"Re-deploy to environment {e.Name}? The job of deployment #{d.Iid} runs again with commit {Format.ShortSha(d.Sha)}.")
            : ("Rollback", $"Roll back environment {e.Name} to deployment #{d.Iid}? Its job runs again and deploys commit {Format.ShortSha(d.Sha)}.");
        h.Add($"<details class=\"confirm\"><summary class=\"button small\" aria-label=\"{label} deployment #{d.Iid}\">{label}</summary><form method=\"post\" action=\"{EnvironmentHtml.Of(project, e.Id)}/redeploy\">");
        Layout.Csrf(h, viewer);
        h.Add($"<input type=\"hidden\" name=\"deployment_id\" value=\"{d.Id}\"><p>{question}</p>");
        h.Add($"<button type=\"submit\" class=\"button\" aria-label=\"{(isLast ? "Re-deploy to environment" : "Rollback environment")} {e.Name} (deployment #{d.Iid})\">{(isLast ? "Re-deploy to environment" : "Rollback environment")}</button></form></details>");
    }

    private static void Pager(HtmlBuilder h, ProjectRecord project, EnvironmentRecord e, int page, int pages)
    {
        if (pages <= 1)
        {
            return;
        }

        var link = EnvironmentHtml.Of(project, e.Id) + "?page=";
        h.Raw("<nav class=\"pager\" aria-label=\"Pages\">");
        if (page > 1)
        {
            h.Add($"<a href=\"{link}{page - 1}\" rel=\"prev\">← Newer</a> ");
        }

        h.Add($"<span>Page {page} of {pages}</span>");
        if (page < pages)
        {
            h.Add($" <a href=\"{link}{page + 1}\" rel=\"next\">Older →</a>");
        }

        h.Raw("</nav>");
    }
}

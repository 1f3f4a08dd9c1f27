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
/// Approving or rejecting a blocked deployment from its environment's page: the "Waiting for approval" note with Approve
/// and Reject forms (<see cref="Render"/>, shown to Developers and up; whether the viewer may answer is the service's
/// call) and their POST <c>/-/environments/:id/approval</c> (anti-forgery token; <see cref="DeploymentApprovals"/>, as
/// the REST API; audited). A refusal is shown in GitLab's words, answered 400.
/// </summary>
internal sealed class DeploymentApprovalForms(WebGuard guard, AuditLog auditLog, DeploymentApprovals approvals, IEnvironmentStore environments, IDeploymentStore deployments)
{
    public void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/{group}/{name}/-/environments/{id:long}/approval", (HttpContext http, string group, string name, long id) =>
            guard.ProjectPostAsync(http, group, name, (v, p, form) => AnswerAsync(http, v, p, id, form)));

    /// <summary>The note and the two forms for a blocked deployment <paramref name="d"/> of <paramref name="e"/>.</summary>
    public static void Render(HtmlBuilder h, WebViewer viewer, ProjectRecord project, EnvironmentRecord e, DeploymentRecord d)
    {
        h.Add($"<div class=\"approval\" data-approval=\"{d.Iid}\"><p class=\"note\">Waiting for approval</p>");
        foreach (var (status, label, css) in new[] { ("approved", "Approve", "button small"), ("rejected", "Reject", "button small danger") })
        {
            h.Add($"<form method=\"post\" action=\"{EnvironmentHtml.Of(project, e.Id)}/approval\" class=\"inline\">");
            Layout.Csrf(h, viewer);
            h.Add($"<input type=\"hidden\" name=\"deployment_id\" value=\"{d.Id}\"><input type=\"hidden\" name=\"status\" value=\"{status}\">");
            h.Add($"<button type=\"submit\" class=\"{css}\" aria-label=\"{label} deployment #{d.Iid}\">{label}</button></form>");
        }

        h.Raw("</div>");
    }

    private async Task<IResult> AnswerAsync(HttpContext http, WebViewer viewer, ProjectRecord project, long id, IFormCollection form)
    {
        if (await environments.GetAsync(id, http.RequestAborted) is not { } environment || environment.ProjectId != project.Id
            || !long.TryParse(form["deployment_id"], NumberStyles.None, CultureInfo.InvariantCulture, out var deploymentId)
            || await deployments.GetAsync(deploymentId, http.RequestAborted) is not { } deployment
            || deployment.EnvironmentId != environment.Id)
        {
            return Layout.NotFound(viewer, "Deployment");
        }

        var status = form["status"].ToString();
        var answer = await approvals.AnswerAsync(deployment, viewer.User!.Id, status, null, CancellationToken.None);
        var details = string.Create(CultureInfo.InvariantCulture, $"deployment #{deployment.Iid} {status}, web{(answer.Error is null ? "" : ", rejected: " + answer.Error)}");
        await auditLog.RecordAsync(http, AuditActor.Of(viewer.User), "deployment_approval", "Environment", environment.Id, environment.Name, details);
        if (answer.Error is { } error)
        {
            return Layout.Page(viewer, $"{environment.Name} · Environments · {project.Path}", h =>
            {
                Layout.ErrorFlash(h, error);
                h.Add($"<p><a href=\"{EnvironmentHtml.Of(project, environment.Id)}\">Back to {environment.Name}</a></p>");
            }, StatusCodes.Status400BadRequest, project, "environments");
        }

        return WebGuard.SeeOther(EnvironmentHtml.Of(project, environment.Id));
    }
}

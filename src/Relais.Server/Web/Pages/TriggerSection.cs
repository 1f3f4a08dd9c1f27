using Microsoft.AspNetCore.Http;
using Relais.Server.Api;
using Relais.Server.Auth;
using Relais.Server.Security;
using Relais.Server.Storage;
using Relais.Server.Web.Html;

namespace Relais.Server.Web.Pages;

/// <summary>
/// The "Pipeline trigger tokens" section of a project's CI/CD settings page: each token with its description, owner
/// and last use, shown in full only to its owner (others see its first four characters, as the REST API's
/// <see cref="TriggerEndpoints"/>); a form to add one and a button to revoke one. Audited as the API does.
/// </summary>
internal sealed class TriggerSection(AuditLog auditLog, ITriggerStore store, IIdentityStore identities, SecretBox secrets, TimeProvider time)
{
    /// <summary>Adds a token owned by the viewer; false when the description is empty.</summary>
    public async Task<bool> AddAsync(HttpContext http, WebViewer viewer, ProjectRecord project, IFormCollection form)
    {
        var description = form["description"].ToString().Trim();
        if (description.Length == 0)
        {
            return false;
        }

        var token = Tokens.New(TriggerEndpoints.TokenPrefix);
        var trigger = await store.AddTriggerAsync(
            new PipelineTriggerRecord { ProjectId = project.Id, OwnerId = viewer.User!.Id, Description = description, TokenHash = Tokens.Hash(token), SealedToken = secrets.Protect(token) },
            time.GetUtcNow(),
            CancellationToken.None);
        await auditLog.RecordAsync(http, AuditActor.Of(viewer.User), "pipeline_trigger_created", "Project", project.Id, project.Path, $"trigger {trigger.Id} ({description}) (web)");
        return true;
    }

    /// <summary>Revokes (deletes) a token of the project.</summary>
    public async Task RevokeAsync(HttpContext http, WebViewer viewer, ProjectRecord project, long id)
    {
        if (await store.DeleteTriggerAsync(project.Id, id, CancellationToken.None))
        {
            await auditLog.RecordAsync(http, AuditActor.Of(viewer.User), "pipeline_trigger_deleted", "Project", project.Id, project.Path, $"trigger {id} (web)");
        }
    }

    /// <summary>The rows to show: each token as the viewer may see it, and its owner's username.</summary>
    public async Task<IReadOnlyList<(PipelineTriggerRecord Trigger, string Token, string Owner)>> RowsAsync(WebViewer viewer, ProjectRecord project, CancellationToken cancel)
    {
        var rows = new List<(PipelineTriggerRecord, string, string)>();
        foreach (var t in await store.ListTriggersAsync(project.Id, cancel))
        {
            var token = secrets.Unprotect(t.SealedToken);
            var shown = viewer.User?.Id == t.OwnerId ? token : token[..Math.Min(4, token.Length)];
            rows.Add((t, shown, (await identities.GetUserAsync(t.OwnerId, cancel))?.Username ?? "(deleted)"));
        }

        return rows;
    }

    public static void Write(HtmlBuilder h, WebViewer viewer, ProjectRecord project, IReadOnlyList<(PipelineTriggerRecord Trigger, string Token, string Owner)> rows, bool error)
    {
        h.Raw("<section aria-labelledby=\"triggers-heading\"><h2 id=\"triggers-heading\">Pipeline trigger tokens</h2>");
        h.Add($"<p class=\"hint\">Trigger a pipeline with <code>POST /api/v4/projects/{project.Id}/trigger/pipeline</code>, <code>token</code> and <code>ref</code>.</p>");
        if (error)
        {
            Layout.ErrorFlash(h, "Give the token a description.");
        }

        if (rows.Count == 0)
        {
            h.Raw("<p>No trigger tokens.</p>");
        }
        else
        {
            h.Raw("<table class=\"list\"><thead><tr><th scope=\"col\">Description</th><th scope=\"col\">Token</th><th scope=\"col\">Owner</th><th scope=\"col\">Last used</th><th scope=\"col\"><span class=\"visually-hidden\">Actions</span></th></tr></thead><tbody>");
            foreach (var (t, token, owner) in rows)
            {
                h.Add($"<tr><td data-label=\"Description\">{t.Description}</td><td data-label=\"Token\"><code class=\"trigger-token\">{token}</code></td><td data-label=\"Owner\">{owner}</td><td data-label=\"Last used\">{ApiJson.Time(t.LastUsedAt) ?? "never"}</td><td>");
                h.Add($"<form method=\"post\" action=\"/{project.Path}/-/settings/ci_cd/triggers/{t.Id}/revoke\" class=\"inline\">");
                Layout.Csrf(h, viewer);
                h.Add($"<button type=\"submit\" class=\"button small danger\" aria-label=\"Revoke trigger {t.Description}\">Revoke</button></form></td></tr>");
            }

            h.Raw("</tbody></table>");
        }

        h.Add($"<form method=\"post\" action=\"/{project.Path}/-/settings/ci_cd/triggers\" class=\"protect-form\">");
        Layout.Csrf(h, viewer);
        h.Raw("<label for=\"trigger-description\">Description</label><input id=\"trigger-description\" name=\"description\" required maxlength=\"255\">");
        h.Raw("<button type=\"submit\" class=\"button primary\">Add new token</button></form></section>");
    }
}

using Microsoft.AspNetCore.Http;
using Relais.Server.Api;
using Relais.Server.Security;
using Relais.Server.Storage;
using Relais.Server.Web.Html;

namespace Relais.Server.Web.Pages;

/// <summary>
/// The CI/CD variables table of a project's or a group's settings page, and its forms: add, edit (value, type,
/// protected, masked, raw, environment scope, description) and delete. A masked value is never written into the
/// page: its edit field stays empty, and an empty value on edit keeps the stored one. The same checks
/// (<see cref="VariableRules"/>, one key per scope) and audit records as the REST API's <see cref="VariableRequests"/>.
/// </summary>
internal sealed class VariableForms(AuditLog auditLog, IVariableStore store, TimeProvider time)
{
    /// <summary>Adds (no <c>original_key</c> in the form) or edits a variable; the problem to show, or null when saved.</summary>
    public async Task<string?> SaveAsync(HttpContext http, WebViewer viewer, VariableOwner owner, (string Type, long Id, string Path) audited, IFormCollection form)
    {
        var all = await store.ListVariablesAsync(owner, http.RequestAborted);
        var originalKey = form["original_key"].ToString();
        VariableRecord? before = null;
        if (originalKey.Length > 0)
        {
            before = all.FirstOrDefault(v => v.Key == originalKey && v.EnvironmentScope == form["original_scope"].ToString());
            if (before is null)
            {
                return "That variable no longer exists.";
            }
        }

        var value = form["value"].ToString();
        var variable = new VariableRecord
        {
            ProjectId = owner.Id,
            Key = before?.Key ?? form["key"].ToString().Trim(),
            Value = before is { Masked: true } && value.Length == 0 ? before.Value : value,
            VariableType = form["variable_type"].ToString() == "file" ? "file" : "env_var",
            Protected = form["protected"] == "true",
            Masked = form["masked"] == "true",
            Raw = form["raw"] == "true",
            EnvironmentScope = form["environment_scope"].ToString().Trim() is { Length: > 0 } scope ? scope : "*",
            Description = form["description"].ToString().Trim() is { Length: > 0 } description ? description : null,
        };
        if (VariableRules.Check(variable.Key, variable.Value, variable.Masked, variable.VariableType) is { } problem)
        {
            return $"The {problem.Field} {problem.Problem}.";
        }

        if (variable.EnvironmentScope.Length > 255)
        {
            return "The environment scope is too long.";
        }

        var taken = $"The key {variable.Key} already has a variable in the scope {variable.EnvironmentScope}.";
        if (before is null)
        {
            if (!await store.CreateVariableAsync(owner, variable, time.GetUtcNow(), CancellationToken.None))
            {
                return taken;
            }

            await AuditAsync(http, viewer, audited, "variable_created", variable);
            return null;
        }

        if (variable.EnvironmentScope != before.EnvironmentScope && all.Any(v => v.Key == variable.Key && v.EnvironmentScope == variable.EnvironmentScope))
        {
            return taken;
        }

        await store.UpdateVariableAsync(owner, before.Key, before.EnvironmentScope, variable, CancellationToken.None);
        await AuditAsync(http, viewer, audited, "variable_updated", variable);
        return null;
    }

    /// <summary>Deletes the variable named by the form's <c>key</c> and <c>environment_scope</c> (nothing when it is gone).</summary>
    public async Task DeleteAsync(HttpContext http, WebViewer viewer, VariableOwner owner, (string Type, long Id, string Path) audited, IFormCollection form)
    {
        var found = (await store.ListVariablesAsync(owner, http.RequestAborted))
            .FirstOrDefault(v => v.Key == form["key"].ToString() && v.EnvironmentScope == form["environment_scope"].ToString());
        if (found is not null && await store.DeleteVariableAsync(owner, found.Key, found.EnvironmentScope, CancellationToken.None))
        {
            await AuditAsync(http, viewer, audited, "variable_deleted", found);
        }
    }

    /// <summary>The table, one edit form per variable (in a disclosure) and the add form; forms post to <paramref name="action"/> + <c>/variables</c>, <c>…/delete</c>.</summary>
    public static void Write(HtmlBuilder h, WebViewer viewer, string action, IReadOnlyList<VariableRecord> variables, string? error)
    {
        h.Raw("<section aria-labelledby=\"variables-heading\"><h2 id=\"variables-heading\">Variables</h2>");
        Layout.ErrorFlash(h, error);
        if (variables.Count == 0)
        {
            h.Raw("<p>No variables.</p>");
        }
        else
        {
            h.Raw("<table class=\"list\"><thead><tr><th scope=\"col\">Key</th><th scope=\"col\">Value</th><th scope=\"col\">Type</th><th scope=\"col\">Environments</th><th scope=\"col\">Options</th><th scope=\"col\"><span class=\"visually-hidden\">Actions</span></th></tr></thead><tbody>");
            var i = 0;
            foreach (var v in variables)
            {
                i++;
                h.Add($"<tr><td data-label=\"Key\"><code>{v.Key}</code>");
                if (v.Description is { Length: > 0 })
                {
                    h.Add($"<br><small>{v.Description}</small>");
                }

                h.Raw("</td><td data-label=\"Value\">");
                if (v.Masked)
                {
                    h.Raw("<span class=\"masked\">•••••••• <small>(masked: never shown)</small></span>");
                }
                else
                {
                    h.Add($"<code class=\"value\">{v.Value}</code>");
                }

                var options = new[] { (v.Protected, "protected"), (v.Masked, "masked"), (v.Raw, "raw") }.Where(o => o.Item1).Select(o => o.Item2).ToList();
                h.Add($"</td><td data-label=\"Type\">{(v.VariableType == "file" ? "file" : "variable")}</td><td data-label=\"Environments\"><code>{v.EnvironmentScope}</code></td><td data-label=\"Options\">{(options.Count == 0 ? "—" : string.Join(", ", options))}</td><td>");
                h.Add($"<details><summary>Edit <span class=\"visually-hidden\">{v.Key}</span></summary><form method=\"post\" action=\"{action}/variables\" class=\"protect-form\">");
                Layout.Csrf(h, viewer);
                h.Add($"<input type=\"hidden\" name=\"original_key\" value=\"{v.Key}\"><input type=\"hidden\" name=\"original_scope\" value=\"{v.EnvironmentScope}\">");
                Fields(h, "v" + i, v);
                h.Raw("<button type=\"submit\" class=\"button primary\">Update variable</button></form></details>");
                h.Add($"<form method=\"post\" action=\"{action}/variables/delete\" class=\"inline\">");
                Layout.Csrf(h, viewer);
                h.Add($"<input type=\"hidden\" name=\"key\" value=\"{v.Key}\"><input type=\"hidden\" name=\"environment_scope\" value=\"{v.EnvironmentScope}\"><button type=\"submit\" class=\"button small danger\" aria-label=\"Delete variable {v.Key}\">Delete</button></form></td></tr>");
            }

            h.Raw("</tbody></table>");
        }

        h.Add($"<form method=\"post\" action=\"{action}/variables\" class=\"protect-form\"><h3>Add variable</h3>");
        Layout.Csrf(h, viewer);
        Fields(h, "new", null);
        h.Raw("<button type=\"submit\" class=\"button primary\">Add variable</button></form></section>");
    }

    /// <summary>The fields of one variable's form (<paramref name="v"/> null: the add form); a masked value is left out.</summary>
    private static void Fields(HtmlBuilder h, string id, VariableRecord? v)
    {
        if (v is null)
        {
            h.Add($"<label for=\"{id}-key\">Key</label><input id=\"{id}-key\" name=\"key\" required maxlength=\"255\" pattern=\"[A-Za-z0-9_]+\">");
        }

        var valueHint = v is { Masked: true } ? " (masked: leave empty to keep it)" : "";
        h.Add($"<label for=\"{id}-value\">Value{valueHint}</label><textarea id=\"{id}-value\" name=\"value\" rows=\"2\">{(v is { Masked: false } ? v.Value : "")}</textarea>");
        h.Add($"<label for=\"{id}-type\">Type</label><select id=\"{id}-type\" name=\"variable_type\"><option value=\"env_var\"{Selected(v?.VariableType != "file")}>Variable</option><option value=\"file\"{Selected(v?.VariableType == "file")}>File</option></select>");
        h.Add($"<label for=\"{id}-scope\">Environment scope</label><input id=\"{id}-scope\" name=\"environment_scope\" value=\"{v?.EnvironmentScope ?? "*"}\" maxlength=\"255\">");
        h.Add($"<label for=\"{id}-description\">Description</label><input id=\"{id}-description\" name=\"description\" value=\"{v?.Description ?? ""}\" maxlength=\"255\">");
        foreach (var (name, text, on) in new[] { ("protected", "Protected: only in pipelines of protected branches and tags", v?.Protected ?? false), ("masked", "Masked: hidden in job logs", v?.Masked ?? false), ("raw", "Expand variable reference: off ($ is taken literally)", v?.Raw ?? false) })
        {
            h.Add($"<div><input type=\"checkbox\" id=\"{id}-{name}\" name=\"{name}\" value=\"true\"{Checked(on)}> <label for=\"{id}-{name}\">{text}</label></div>");
        }
    }

    private static RawHtml Selected(bool on) => new(on ? " selected" : "");

    private static RawHtml Checked(bool on) => new(on ? " checked" : "");

    private Task AuditAsync(HttpContext http, WebViewer viewer, (string Type, long Id, string Path) audited, string action, VariableRecord v) =>
        auditLog.RecordAsync(
            http, AuditActor.Of(viewer.User), action, audited.Type, audited.Id, audited.Path,
            $"variable {v.Key}" + (v.EnvironmentScope == "*" ? "" : $" [{v.EnvironmentScope}]") + $" (protected: {v.Protected}, masked: {v.Masked}) (web)");
}

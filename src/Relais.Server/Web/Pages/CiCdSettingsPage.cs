using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Auth;
using Relais.Server.Storage;
using Relais.Server.Web.Html;

namespace Relais.Server.Web.Pages;

/// <summary>
/// A project's CI/CD settings page (<c>/GROUP/PROJECT/-/settings/ci_cd</c>, Maintainers): its variables, editable
/// (<see cref="VariableForms"/>), and its pipeline trigger tokens (<see cref="TriggerSection"/>). A problem with a form
/// answers the page again with the problem and 400.
/// </summary>
internal sealed class CiCdSettingsPage(WebGuard guard, IVariableStore variableStore, VariableForms variables, TriggerSection triggers)
{
    private const string Route = "/{group}/{name}/-/settings/ci_cd";

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(Route, (HttpContext http, string group, string name) =>
            guard.ProjectAsync(http, group, name, AccessLevel.Maintainer, (v, p) => PageAsync(http, v, p, null, false)));
        app.MapPost(Route + "/variables", (HttpContext http, string group, string name) =>
            guard.ProjectPostAsync(http, group, name, async (v, p, form) =>
                await variables.SaveAsync(http, v, VariableOwner.Project(p.Id), ("Project", p.Id, p.Path), form) is { } problem
                    ? await PageAsync(http, v, p, problem, false)
                    : WebGuard.SeeOther($"/{p.Path}/-/settings/ci_cd"), AccessLevel.Maintainer));
        app.MapPost(Route + "/variables/delete", (HttpContext http, string group, string name) =>
            guard.ProjectPostAsync(http, group, name, async (v, p, form) =>
            {
                await variables.DeleteAsync(http, v, VariableOwner.Project(p.Id), ("Project", p.Id, p.Path), form);
                return WebGuard.SeeOther($"/{p.Path}/-/settings/ci_cd");
            }, AccessLevel.Maintainer));
        app.MapPost(Route + "/triggers", (HttpContext http, string group, string name) =>
            guard.ProjectPostAsync(http, group, name, async (v, p, form) =>
                await triggers.AddAsync(http, v, p, form) ? WebGuard.SeeOther($"/{p.Path}/-/settings/ci_cd") : await PageAsync(http, v, p, null, true), AccessLevel.Maintainer));
        app.MapPost(Route + "/triggers/{tid:long}/revoke", (HttpContext http, string group, string name, long tid) =>
            guard.ProjectPostAsync(http, group, name, async (v, p, _) =>
            {
                await triggers.RevokeAsync(http, v, p, tid);
                return WebGuard.SeeOther($"/{p.Path}/-/settings/ci_cd");
            }, AccessLevel.Maintainer));
    }

    private async Task<IResult> PageAsync(HttpContext http, WebViewer viewer, ProjectRecord project, string? variableError, bool triggerError)
    {
        var list = await variableStore.ListVariablesAsync(VariableOwner.Project(project.Id), http.RequestAborted);
        var rows = await triggers.RowsAsync(viewer, project, http.RequestAborted);
        var status = variableError is null && !triggerError ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest;
        return Layout.Page(viewer, "CI/CD settings · " + project.Path, h =>
        {
            h.Raw("<h1>CI/CD settings</h1>");
            VariableForms.Write(h, viewer, $"/{project.Path}/-/settings/ci_cd", list, variableError);
            TriggerSection.Write(h, viewer, project, rows, triggerError);
        }, status, project, "variables");
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Auth;
using Relais.Server.Storage;
using Relais.Server.Web.Html;

namespace Relais.Server.Web.Pages;

/// <summary>
/// A group's CI/CD variables page (<c>/groups/GROUP/-/settings/ci_cd</c>): the same table and forms as a project's
/// (<see cref="VariableForms"/>), for a Maintainer of the group or of a parent group, as the REST API's
/// <c>GroupVariableEndpoints</c>; anyone else gets 404. Every project under the group inherits the variables.
/// </summary>
internal sealed class GroupCiCdSettingsPage(GroupPages groups, IVariableStore variableStore, VariableForms variables)
{
    private const string Route = "/groups/{group}/-/settings/ci_cd";

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(Route, (HttpContext http, string group) =>
            groups.GroupAsync(http, group, (v, g) => Maintained(v, g) ? PageAsync(http, v, g, null) : Task.FromResult(NotFound(http, v))));
        app.MapPost(Route + "/variables", (HttpContext http, string group) =>
            groups.GroupPostAsync(http, group, async (v, g, form) =>
            {
                if (!Maintained(v, g))
                {
                    return NotFound(http, v);
                }

                return await variables.SaveAsync(http, v, VariableOwner.Group(g.Id), ("Group", g.Id, g.FullPath), form) is { } problem
                    ? await PageAsync(http, v, g, problem)
                    : WebGuard.SeeOther($"/groups/{g.FullPath}/-/settings/ci_cd");
            }));
        app.MapPost(Route + "/variables/delete", (HttpContext http, string group) =>
            groups.GroupPostAsync(http, group, async (v, g, form) =>
            {
                if (!Maintained(v, g))
                {
                    return NotFound(http, v);
                }

                await variables.DeleteAsync(http, v, VariableOwner.Group(g.Id), ("Group", g.Id, g.FullPath), form);
                return WebGuard.SeeOther($"/groups/{g.FullPath}/-/settings/ci_cd");
            }));
    }

    /// <summary>Whether the viewer maintains the group (directly or through a parent group).</summary>
    public static bool Maintained(WebViewer viewer, GroupRecord group) => viewer.Caller.LevelInNamespace(group.FullPath) >= AccessLevel.Maintainer;

    private static IResult NotFound(HttpContext http, WebViewer viewer) => viewer.SignedIn ? Layout.NotFound(viewer, "Page") : WebGuard.SignInRedirect(http);

    private async Task<IResult> PageAsync(HttpContext http, WebViewer viewer, GroupRecord group, string? error)
    {
        var list = await variableStore.ListVariablesAsync(VariableOwner.Group(group.Id), http.RequestAborted);
        return Layout.Page(viewer, "CI/CD settings · " + group.FullPath, h =>
        {
            h.Add($"<p class=\"hint\"><a href=\"/groups/{group.FullPath}\">{group.FullPath}</a></p><h1>Group CI/CD variables</h1>");
            h.Raw("<p>Every project in this group and its subgroups receives these variables; a project's own variable of the same key wins.</p>");
            VariableForms.Write(h, viewer, $"/groups/{group.FullPath}/-/settings/ci_cd", list, error);
        }, error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
    }
}

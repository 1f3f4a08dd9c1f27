using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Api;
using Relais.Server.Auth;
using Relais.Server.RunnerApi;
using Relais.Server.Storage;
using Relais.Server.Web.Html;

namespace Relais.Server.Web.Pages;

/// <summary>
/// Groups in the web UI: <c>/dashboard/groups</c> (the viewer's groups), <c>/groups/new</c> (create one; a subgroup
/// with a parent's full path, by <see cref="GroupCreation"/>, as the REST API), and a group's page at
/// <c>/groups/GROUP</c> (also <c>/GROUP</c> for a top-level group) with its subgroups and projects. A private group
/// is 404 to anyone without a role in it. Plain forms with the anti-forgery token, no script.
/// </summary>
internal sealed class GroupPages(WebGuard guard, WebSessions sessions, GroupCreation creation, NamespaceDirectory directory, IGroupStore groupStore, IProjectStore projectStore)
{
    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/dashboard/groups", Task<IResult> (HttpContext http) => guard.SignedInAsync(http, admin: false, async viewer =>
        {
            var mine = (await groupStore.ListGroupsAsync(http.RequestAborted)).Where(g => viewer.Caller.LevelInNamespace(g.FullPath) >= AccessLevel.Guest).ToList();
            return Layout.Page(viewer, "Groups", h =>
            {
                h.Raw("<h1>Groups</h1><p><a class=\"button primary\" href=\"/groups/new\">New group</a></p>");
                GroupList(h, mine, "You are not a member of any group.");
            });
        }));
        app.MapGet("/groups/new", Task<IResult> (HttpContext http) => guard.SignedInAsync(http, admin: false, viewer =>
            Task.FromResult(NewForm(viewer, http.Request.Query["parent"].ToString(), null))));
        app.MapPost("/groups", Task<IResult> (HttpContext http) => guard.SignedInAsync(http, admin: false, async viewer =>
        {
            var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(http.RequestAborted) : FormCollection.Empty;
            if (!WebSessions.IsGenuine(viewer, form))
            {
                return WebGuard.InvalidForm(viewer);
            }

            var parent = form["parent"].ToString().Trim();
            var (group, refusal) = await creation.CreateAsync(http, viewer.Caller, new NewGroup(
                form["name"].ToString().Trim(), form["path"].ToString().Trim(), form["visibility"].ToString() is { Length: > 0 } v ? v : "private", "", parent.Length > 0 ? parent : null));
            return refusal is null
                ? WebGuard.SeeOther("/groups/" + group!.FullPath)
                : NewForm(viewer, parent, (refusal.Field is { } field ? "The " + field + " " : "") + refusal.Problem, refusal.Status);
        }));
        app.MapGet("/groups/{group}", (HttpContext http, string group) => GroupAsync(http, group, (v, g) => ShowAsync(http, v, g)));

        // A top-level group's short address; any other single segment stays the server's 404.
        app.MapGet("/{group}", async (HttpContext http, string group) =>
            await groupStore.FindGroupAsync(group, http.RequestAborted) is { ParentId: null } found && found.FullPath == group
                ? await GroupAsync(http, group, (v, g) => ShowAsync(http, v, g))
                : ApiResults.Error(StatusCodes.Status404NotFound));
    }

    /// <summary>Runs <paramref name="handler"/> when the viewer may see the group: else 404, or sign in first.</summary>
    public async Task<IResult> GroupAsync(HttpContext http, string fullPath, Func<WebViewer, GroupRecord, Task<IResult>> handler)
    {
        var viewer = await sessions.ViewerAsync(http);
        var group = await groupStore.FindGroupAsync(fullPath, http.RequestAborted);
        if (group is null || !viewer.Caller.CanSee(group))
        {
            return viewer.SignedIn ? Layout.NotFound(viewer, "Group") : WebGuard.SignInRedirect(http);
        }

        return await handler(viewer, group);
    }

    /// <summary>A POST on a group: signed in, a genuine form, then the handler (which checks the role it needs).</summary>
    public Task<IResult> GroupPostAsync(HttpContext http, string fullPath, Func<WebViewer, GroupRecord, IFormCollection, Task<IResult>> handler) =>
        GroupAsync(http, fullPath, async (viewer, group) =>
        {
            if (!viewer.SignedIn)
            {
                return WebGuard.SignInRedirect(http);
            }

            var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(http.RequestAborted) : FormCollection.Empty;
            return WebSessions.IsGenuine(viewer, form) ? await handler(viewer, group, form) : WebGuard.InvalidForm(viewer);
        });

    private async Task<IResult> ShowAsync(HttpContext http, WebViewer viewer, GroupRecord group)
    {
        var all = await groupStore.ListGroupsAsync(http.RequestAborted);
        var subgroups = all.Where(g => g.ParentId == group.Id && viewer.Caller.CanSee(g)).ToList();
        var projects = (await projectStore.ListProjectsAsync(http.RequestAborted)).Where(p => p.Namespace == group.FullPath && viewer.Caller.CanSee(p)).ToList();
        var view = directory.View(group, all);
        return Layout.Page(viewer, group.FullPath, h =>
        {
            h.Add($"<h1>{view.FullName}</h1><p class=\"hint\">{group.FullPath} · {group.Visibility}</p>");
            if (group.Description.Length > 0)
            {
                h.Add($"<p>{group.Description}</p>");
            }

            h.Add($"<p><a href=\"/groups/{group.FullPath}/-/group_members\">Members</a>");
            if (GroupCiCdSettingsPage.Maintained(viewer, group))
            {
                h.Add($" · <a href=\"/groups/{group.FullPath}/-/settings/ci_cd\">CI/CD variables</a>");
            }

            if (NamespaceRules.MayCreateSubgroupIn(viewer.Caller, group))
            {
                h.Add($" · <a href=\"/groups/new?parent={group.FullPath}\">New subgroup</a>");
            }

            h.Raw("</p><h2>Subgroups</h2>");
            GroupList(h, subgroups, "No subgroups.");
            h.Raw("<h2>Projects</h2>");
            if (projects.Count == 0)
            {
                h.Raw("<p>No projects.</p>");
                return;
            }

            h.Raw("<ul class=\"list projects\">");
            foreach (var p in projects)
            {
                h.Add($"<li><a href=\"/{p.Path}\">{p.Name}</a> <span class=\"hint\">{p.Visibility}</span></li>");
            }

            h.Raw("</ul>");
        });
    }

    private static void GroupList(HtmlBuilder h, IReadOnlyList<GroupRecord> groups, string empty)
    {
        if (groups.Count == 0)
        {
            h.Add($"<p>{empty}</p>");
            return;
        }

        h.Raw("<ul class=\"list groups\">");
        foreach (var g in groups)
        {
            h.Add($"<li><a href=\"/groups/{g.FullPath}\">{g.Name}</a> <span class=\"hint\">{g.FullPath} · {g.Visibility}</span></li>");
        }

        h.Raw("</ul>");
    }

    private static IResult NewForm(WebViewer viewer, string parent, string? error, int status = StatusCodes.Status200OK) =>
        Layout.Page(viewer, "New group", h =>
        {
            h.Raw("<h1>New group</h1>");
            Layout.ErrorFlash(h, error);
            h.Raw("<form method=\"post\" action=\"/groups\" class=\"card\">");
            Layout.Csrf(h, viewer);
            h.Raw("<label for=\"name\">Name</label><input id=\"name\" name=\"name\" required maxlength=\"255\">");
            h.Raw("<label for=\"path\">Path (optional: made from the name)</label><input id=\"path\" name=\"path\" maxlength=\"255\">");
            h.Add($"<label for=\"parent\">Parent group (optional: its full path)</label><input id=\"parent\" name=\"parent\" value=\"{parent}\">");
            h.Raw("<label for=\"visibility\">Visibility</label><select id=\"visibility\" name=\"visibility\"><option value=\"private\" selected>Private</option><option value=\"public\">Public</option></select>");
            h.Raw("<button type=\"submit\" class=\"button primary\">Create group</button></form>");
        }, status);
}

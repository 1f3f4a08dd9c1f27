using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Api;
using Relais.Server.Auth;
using Relais.Server.Storage;
using Relais.Server.Web.Html;

namespace Relais.Server.Web.Pages;

/// <summary>
/// Members pages at GitLab's addresses, <c>/GROUP/PROJECT/-/project_members</c> and <c>/groups/GROUP/-/group_members</c>:
/// anyone who sees the project or group lists its direct members; Maintainers add one by username with a role and
/// an optional expiry day, change a role, remove a member (the rules, the last-Owner guard and the audit record are
/// <see cref="MemberChanges"/>', as for the REST API). Plain forms with the anti-forgery token, no script.
/// </summary>
internal sealed class MemberPages(WebGuard guard, GroupPages groups, MemberChanges changes, IMemberStore memberStore, IIdentityStore identityStore)
{
    private static readonly AccessLevel[] Roles = [AccessLevel.Guest, AccessLevel.Reporter, AccessLevel.Developer, AccessLevel.Maintainer, AccessLevel.Owner];

    public void Map(IEndpointRouteBuilder app)
    {
        const string Project = "/{group}/{name}/-/project_members";
        app.MapGet(Project, (HttpContext http, string group, string name) => guard.ProjectAsync(http, group, name, AccessLevel.Guest, (v, p) =>
            PageAsync(http, v, Target(MemberSource.Project, p.Id, p.Path, v, v.Caller.LevelIn(p)), $"/{p.Path}/-/project_members", null)));
        app.MapPost(Project, (HttpContext http, string group, string name) => guard.ProjectPostAsync(http, group, name, (v, p, form) =>
            AddAsync(http, v, Target(MemberSource.Project, p.Id, p.Path, v, v.Caller.LevelIn(p)), $"/{p.Path}/-/project_members", form), AccessLevel.Guest));
        app.MapPost(Project + "/{uid:long}", (HttpContext http, string group, string name, long uid) => guard.ProjectPostAsync(http, group, name, (v, p, form) =>
            ChangeAsync(http, v, Target(MemberSource.Project, p.Id, p.Path, v, v.Caller.LevelIn(p)), $"/{p.Path}/-/project_members", uid, form), AccessLevel.Guest));
        app.MapPost(Project + "/{uid:long}/delete", (HttpContext http, string group, string name, long uid) => guard.ProjectPostAsync(http, group, name, (v, p, _) =>
            RemoveAsync(http, v, Target(MemberSource.Project, p.Id, p.Path, v, v.Caller.LevelIn(p)), $"/{p.Path}/-/project_members", uid), AccessLevel.Guest));

        const string Group = "/groups/{group}/-/group_members";
        app.MapGet(Group, (HttpContext http, string group) => groups.GroupAsync(http, group, (v, g) =>
            PageAsync(http, v, GroupTarget(v, g), $"/groups/{g.FullPath}/-/group_members", null)));
        app.MapPost(Group, (HttpContext http, string group) => groups.GroupPostAsync(http, group, (v, g, form) =>
            AddAsync(http, v, GroupTarget(v, g), $"/groups/{g.FullPath}/-/group_members", form)));
        app.MapPost(Group + "/{uid:long}", (HttpContext http, string group, long uid) => groups.GroupPostAsync(http, group, (v, g, form) =>
            ChangeAsync(http, v, GroupTarget(v, g), $"/groups/{g.FullPath}/-/group_members", uid, form)));
        app.MapPost(Group + "/{uid:long}/delete", (HttpContext http, string group, long uid) => groups.GroupPostAsync(http, group, (v, g, _) =>
            RemoveAsync(http, v, GroupTarget(v, g), $"/groups/{g.FullPath}/-/group_members", uid)));
    }

    private static MemberTarget Target(MemberSource kind, long id, string path, WebViewer viewer, AccessLevel level) => new(kind, id, path, viewer.Caller, level);

    private static MemberTarget GroupTarget(WebViewer viewer, GroupRecord group) =>
        new(MemberSource.Group, group.Id, group.FullPath, viewer.Caller, viewer.Caller.LevelInNamespace(group.FullPath));

    private async Task<IResult> AddAsync(HttpContext http, WebViewer viewer, MemberTarget target, string path, IFormCollection form)
    {
        var username = form["username"].ToString().Trim();
        var fields = new Dictionary<string, string>(StringComparer.Ordinal) { ["access_level"] = form["access_level"].ToString(), ["expires_at"] = form["expires_at"].ToString() };
        if (MemberEndpoints.ReadLevel(fields) is not { } level || MemberEndpoints.ReadExpiry(fields, out var expiresAt) is not null)
        {
            return await PageAsync(http, viewer, target, path, "Choose a role, and an expiry day or none.", StatusCodes.Status400BadRequest);
        }

        if (await identityStore.FindSignInAsync(username, http.RequestAborted) is not { } user)
        {
            return await PageAsync(http, viewer, target, path, "There is no user with that username.", StatusCodes.Status400BadRequest);
        }

        var (outcome, _) = await changes.AddAsync(http, target, user.Id, level, expiresAt);
        return await AfterAsync(http, viewer, target, path, outcome, "added");
    }

    private async Task<IResult> ChangeAsync(HttpContext http, WebViewer viewer, MemberTarget target, string path, long userId, IFormCollection form)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal) { ["access_level"] = form["access_level"].ToString() };
        if (MemberEndpoints.ReadLevel(fields) is not { } level)
        {
            return await PageAsync(http, viewer, target, path, "Choose a role.", StatusCodes.Status400BadRequest);
        }

        var (outcome, _) = await changes.UpdateAsync(http, target, userId, level, setExpiry: false, null);
        return await AfterAsync(http, viewer, target, path, outcome, "changed");
    }

    private async Task<IResult> RemoveAsync(HttpContext http, WebViewer viewer, MemberTarget target, string path, long userId) =>
        await AfterAsync(http, viewer, target, path, await changes.RemoveAsync(http, target, userId), "removed");

    private async Task<IResult> AfterAsync(HttpContext http, WebViewer viewer, MemberTarget target, string path, MemberOutcome outcome, string done) => outcome switch
    {
        MemberOutcome.Done => WebGuard.SeeOther(path + "?done=" + done),
        MemberOutcome.Forbidden => Layout.Forbidden(viewer),
        MemberOutcome.AlreadyMember => await PageAsync(http, viewer, target, path, "That user is a member already.", StatusCodes.Status409Conflict),
        MemberOutcome.LastOwner => await PageAsync(http, viewer, target, path, "A group's last Owner cannot be removed or demoted.", StatusCodes.Status400BadRequest),
        _ => await PageAsync(http, viewer, target, path, "There is no such member.", StatusCodes.Status404NotFound),
    };

    private async Task<IResult> PageAsync(HttpContext http, WebViewer viewer, MemberTarget target, string path, string? error, int status = StatusCodes.Status200OK)
    {
        var members = await memberStore.ListMembersAsync(target.Kind, target.Id, http.RequestAborted);
        var manage = target.CallerLevel >= AccessLevel.Maintainer;
        var done = http.Request.Query["done"].ToString();
        return Layout.Page(viewer, "Members · " + target.Path, h =>
        {
            h.Add($"<h1>Members of {target.Path}</h1>");
            if (error is null && done is "added" or "changed" or "removed")
            {
                h.Add($"<p class=\"flash\" role=\"status\">The member was {done}.</p>");
            }

            Layout.ErrorFlash(h, error);
            if (manage)
            {
                h.Add($"<form method=\"post\" action=\"{path}\" class=\"card\" aria-label=\"Add a member\">");
                Layout.Csrf(h, viewer);
                h.Raw("<label for=\"username\">Username</label><input id=\"username\" name=\"username\" required autocomplete=\"off\">");
                RoleSelect(h, "access_level", "new-role", AccessLevel.Developer, target.CallerLevel);
                h.Raw("<label for=\"expires_at\">Expires (optional)</label><input id=\"expires_at\" name=\"expires_at\" type=\"date\">");
                h.Raw("<button type=\"submit\" class=\"button primary\">Add member</button></form>");
            }

            h.Raw("<table class=\"list members\"><thead><tr><th scope=\"col\">User</th><th scope=\"col\">Role</th><th scope=\"col\">Expires</th><th scope=\"col\"><span class=\"visually-hidden\">Actions</span></th></tr></thead><tbody>");
            foreach (var m in members)
            {
                var uid = m.UserId.ToString(CultureInfo.InvariantCulture);
                var role = (AccessLevel)m.AccessLevel;
                h.Add($"<tr data-member=\"{m.Username}\"><td data-label=\"User\">{m.Username}</td><td data-label=\"Role\">{role.ToString()}</td><td data-label=\"Expires\">{m.ExpiresAt ?? "never"}</td><td>");
                if (manage && (role < AccessLevel.Owner || target.CallerLevel >= AccessLevel.Owner))
                {
                    h.Add($"<form method=\"post\" action=\"{path}/{uid}\" class=\"inline\">");
                    Layout.Csrf(h, viewer);
                    RoleSelect(h, "access_level", "role-" + uid, role, target.CallerLevel, "Role of " + m.Username);
                    h.Add($"<button type=\"submit\" class=\"button\" aria-label=\"Change the role of {m.Username}\">Change</button></form> ");
                }

                if ((manage && (role < AccessLevel.Owner || target.CallerLevel >= AccessLevel.Owner)) || viewer.User?.Id == m.UserId)
                {
                    var self = viewer.User?.Id == m.UserId;
                    Layout.ActionButton(h, viewer, $"{path}/{uid}/delete", self ? "Leave" : "Remove", self ? "Leave" : "Remove " + m.Username, "button danger");
                }

                h.Raw("</td></tr>");
            }

            h.Raw("</tbody></table>");
        }, status);
    }

    /// <summary>A role picker offering the roles the caller may grant (Owner only to an Owner).</summary>
    private static void RoleSelect(HtmlBuilder h, string name, string id, AccessLevel selected, AccessLevel callerLevel, string? label = null)
    {
        if (label is null)
        {
            h.Add($"<label for=\"{id}\">Role</label>");
        }
        else
        {
            h.Add($"<label for=\"{id}\" class=\"visually-hidden\">{label}</label>");
        }

        h.Add($"<select id=\"{id}\" name=\"{name}\">");
        foreach (var role in Roles.Where(r => r < AccessLevel.Owner || callerLevel >= AccessLevel.Owner))
        {
            var value = ((int)role).ToString(CultureInfo.InvariantCulture);
            h.Add($"<option value=\"{value}\"{(role == selected ? " selected" : "")}>{role.ToString()}</option>");
        }

        h.Raw("</select>");
    }
}

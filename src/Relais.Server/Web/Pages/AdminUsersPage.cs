using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Auth;
using Relais.Server.Storage;
using Relais.Server.Web.Html;

namespace Relais.Server.Web.Pages;

/// <summary>
/// <c>/admin/users</c> (administrators; others get 404): every user (username, name, email, administrator, blocked), a
/// form to create one (username, name, email, password, administrator), and Block/Unblock and Delete buttons. The rules
/// and audit records are the users API's (<see cref="UserAdministration"/>). No script: plain forms with the
/// anti-forgery token, each redirecting back with what happened.
/// </summary>
internal sealed class AdminUsersPage(WebGuard guard, UserAdministration administration, IIdentityStore identityStore)
{
    public const string Path = "/admin/users";

    private static readonly Dictionary<string, string> Done = new(StringComparer.Ordinal)
    {
        ["created"] = "The user was created.",
        ["blocked"] = "The user was blocked: their tokens, sessions, password and git access stopped working.",
        ["unblocked"] = "The user was unblocked.",
        ["deleted"] = "The user was deleted.",
    };

    private static readonly Dictionary<UserChangeOutcome, string> Refusals = new()
    {
        [UserChangeOutcome.Self] = "You cannot block or delete yourself.",
        [UserChangeOutcome.OwnsProjects] = "That user owns projects: delete or move them first.",
        [UserChangeOutcome.NotFound] = "That user does not exist.",
    };

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(Path, Task<IResult> (HttpContext http) => guard.SignedInAsync(http, admin: true, viewer =>
            PageAsync(http, viewer, Done.GetValueOrDefault(http.Request.Query["done"].ToString()), null)));
        app.MapPost(Path, Task<IResult> (HttpContext http) => PostAsync(http, (viewer, form) => CreateAsync(http, viewer, form)));
        app.MapPost(Path + "/{uid:long}/block", (HttpContext http, long uid) => PostAsync(http, async (viewer, _) =>
            After(await administration.SetBlockedAsync(http, viewer.User!, uid, blocked: true), "blocked")));
        app.MapPost(Path + "/{uid:long}/unblock", (HttpContext http, long uid) => PostAsync(http, async (viewer, _) =>
            After(await administration.SetBlockedAsync(http, viewer.User!, uid, blocked: false), "unblocked")));
        app.MapPost(Path + "/{uid:long}/delete", (HttpContext http, long uid) => PostAsync(http, async (viewer, _) =>
            After(await administration.DeleteAsync(http, viewer.User!, uid), "deleted")));
    }

    private static IResult After(UserChangeOutcome outcome, string done) =>
        WebGuard.SeeOther(outcome == UserChangeOutcome.Done ? $"{Path}?done={done}" : $"{Path}?refused={outcome.ToString().ToLowerInvariant()}");

    private Task<IResult> PostAsync(HttpContext http, Func<WebViewer, IFormCollection, Task<IResult>> handler) =>
        guard.SignedInAsync(http, admin: true, async viewer =>
        {
            var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(http.RequestAborted) : FormCollection.Empty;
            return WebSessions.IsGenuine(viewer, form) ? await handler(viewer, form) : WebGuard.InvalidForm(viewer);
        });

    private async Task<IResult> CreateAsync(HttpContext http, WebViewer viewer, IFormCollection form)
    {
        var password = form["password"].ToString();
        var input = new NewUser(
            form["username"].ToString().Trim(), form["name"].ToString().Trim(), form["email"].ToString().Trim(), form["admin"] == "true", password.Length == 0 ? null : password);
        var created = await administration.CreateAsync(http, viewer.User!, input);
        return created.User is not null
            ? WebGuard.SeeOther(Path + "?done=created")
            : await PageAsync(http, viewer, null, $"The {created.Field} {created.Problem}.", StatusCodes.Status400BadRequest, input);
    }

    private async Task<IResult> PageAsync(HttpContext http, WebViewer viewer, string? done, string? error, int status = StatusCodes.Status200OK, NewUser? typed = null)
    {
        var users = await identityStore.ListUsersAsync(new UserFilter(), http.RequestAborted);
        if (error is null && Enum.TryParse<UserChangeOutcome>(http.Request.Query["refused"].ToString(), ignoreCase: true, out var refused))
        {
            error = Refusals.GetValueOrDefault(refused);
        }

        return Layout.Page(viewer, "Users", h =>
        {
            h.Raw("<h1>Users</h1>");
            if (done is not null)
            {
                h.Add($"<p class=\"flash\" role=\"status\">{done}</p>");
            }

            Layout.ErrorFlash(h, error);
            WriteList(h, viewer, users);
            WriteCreateForm(h, viewer, typed);
        }, status);
    }

    private static void WriteList(HtmlBuilder h, WebViewer viewer, IReadOnlyList<UserAccountRecord> users)
    {
        h.Raw("<table class=\"list users\"><thead><tr><th scope=\"col\">Username</th><th scope=\"col\">Name</th><th scope=\"col\">Email</th><th scope=\"col\">Administrator</th><th scope=\"col\">State</th><th scope=\"col\"><span class=\"visually-hidden\">Actions</span></th></tr></thead><tbody>");
        foreach (var u in users)
        {
            var id = u.Id.ToString(CultureInfo.InvariantCulture);
            h.Add($"<tr data-user=\"{u.Username}\"><td data-label=\"Username\">{u.Username}</td><td data-label=\"Name\">{u.Name ?? ""}</td><td data-label=\"Email\">{u.Email ?? ""}</td>");
            h.Add($"<td data-label=\"Administrator\">{(u.IsAdmin ? "yes" : "no")}</td><td data-label=\"State\">{(u.Blocked ? "blocked" : "active")}</td><td>");
            if (u.Id != viewer.User!.Id)
            {
                var (action, label) = u.Blocked ? ("unblock", "Unblock") : ("block", "Block");
                Layout.ActionButton(h, viewer, $"{Path}/{id}/{action}", label, $"{label} {u.Username}", "button small");
                Layout.ActionButton(h, viewer, $"{Path}/{id}/delete", "Delete", "Delete " + u.Username, "button small danger");
            }

            h.Raw("</td></tr>");
        }

        h.Raw("</tbody></table>");
    }

    private static void WriteCreateForm(HtmlBuilder h, WebViewer viewer, NewUser? typed)
    {
        h.Raw("<form method=\"post\" action=\"" + Path + "\" class=\"card\" aria-labelledby=\"new-user-title\"><h2 id=\"new-user-title\">New user</h2>");
        Layout.Csrf(h, viewer);
        h.Add($"<label for=\"username\">Username</label><input id=\"username\" name=\"username\" required maxlength=\"255\" autocomplete=\"off\" value=\"{typed?.Username ?? ""}\">");
        h.Add($"<label for=\"name\">Name</label><input id=\"name\" name=\"name\" maxlength=\"255\" value=\"{typed?.Name ?? ""}\">");
        h.Add($"<label for=\"email\">Email</label><input id=\"email\" name=\"email\" type=\"email\" value=\"{typed?.Email ?? ""}\">");
        h.Add($"<label for=\"password\">Password</label><input id=\"password\" name=\"password\" type=\"password\" minlength=\"{Passwords.MinimumLength}\" maxlength=\"{Passwords.MaximumLength}\" autocomplete=\"new-password\" aria-describedby=\"password-hint\">");
        h.Add($"<p id=\"password-hint\" class=\"hint\">{Passwords.MinimumLength} to {Passwords.MaximumLength} characters. Leave it empty for a user who works with access tokens only.</p>");
        h.Raw("<div><input type=\"checkbox\" id=\"admin\" name=\"admin\" value=\"true\"> <label for=\"admin\" class=\"inline-label\">Administrator</label></div>");
        h.Raw("<button type=\"submit\" class=\"button primary\">Create user</button></form>");
    }
}

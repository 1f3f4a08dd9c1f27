using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Auth;
using Relais.Server.Security;
using Relais.Server.Storage;
using Relais.Server.Web.Html;

namespace Relais.Server.Web.Pages;

/// <summary>
/// The signed-in user's own settings, at GitLab's addresses: <c>/-/user_settings/active_sessions</c> lists their web
/// sessions (created, last used, address, browser, how it was opened) and ends any of them; <c>/-/user_settings/password/edit</c>
/// changes the password (current, new, confirmation; at least 8 characters), which ends every other session.
/// </summary>
internal sealed class UserSettingsPages(WebGuard guard, IIdentityStore identityStore, SignInPasswordCheck passwords, PasswordChanges changes, TimeProvider time)
{
    public const string SessionsPath = "/-/user_settings/active_sessions";
    public const string PasswordPath = "/-/user_settings/password/edit";

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(SessionsPath, Task<IResult> (HttpContext http) => guard.SignedInAsync(http, admin: false, async viewer =>
            SessionsPage(viewer, await identityStore.ListSessionsAsync(viewer.User!.Id, time.GetUtcNow(), http.RequestAborted), http.Request.Query["ended"] == "1")));
        app.MapPost(SessionsPath + "/{sid:long}/revoke", (HttpContext http, long sid) => PostAsync(http, async (viewer, _) =>
        {
            if (!await identityStore.DeleteSessionAsync(viewer.User!.Id, sid, CancellationToken.None))
            {
                return Layout.NotFound(viewer, "Session");
            }

            return WebGuard.SeeOther(viewer.SessionId == sid ? "/users/sign_in" : SessionsPath + "?ended=1");
        }));
        app.MapGet(PasswordPath, Task<IResult> (HttpContext http) => guard.SignedInAsync(http, admin: false, async viewer =>
            PasswordPage(viewer, await HasPasswordAsync(viewer, http.RequestAborted), http.Request.Query["saved"] == "1", null)));
        app.MapPost("/-/user_settings/password", Task<IResult> (HttpContext http) => PostAsync(http, (viewer, form) => ChangePasswordAsync(http, viewer, form)));
    }

    private Task<IResult> PostAsync(HttpContext http, Func<WebViewer, IFormCollection, Task<IResult>> handler) =>
        guard.SignedInAsync(http, admin: false, async viewer =>
        {
            var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(http.RequestAborted) : FormCollection.Empty;
            return WebSessions.IsGenuine(viewer, form) ? await handler(viewer, form) : WebGuard.InvalidForm(viewer);
        });

    private async Task<bool> HasPasswordAsync(WebViewer viewer, CancellationToken cancel) =>
        await identityStore.FindSignInAsync(viewer.User!.Username, cancel) is { PasswordHash: not null };

    private async Task<IResult> ChangePasswordAsync(HttpContext http, WebViewer viewer, IFormCollection form)
    {
        var account = await identityStore.FindSignInAsync(viewer.User!.Username, http.RequestAborted);
        if (account is not { PasswordHash: not null })
        {
            return PasswordPage(viewer, hasPassword: false, saved: false, "You have no password to change.", StatusCodes.Status400BadRequest);
        }

        if (AuthEvents.PasswordLocked(http, account.Username) is not null || passwords.Verify(account, form["current_password"].ToString()) is null)
        {
            AuthEvents.PasswordFailed(http, account.Username); // the sign-in form's rate limit and account lock apply
            return PasswordPage(viewer, hasPassword: true, saved: false, "The current password is wrong.", StatusCodes.Status400BadRequest);
        }

        var password = form["new_password"].ToString();
        if (Passwords.Problem(password) is { } problem)
        {
            return PasswordPage(viewer, hasPassword: true, saved: false, "The new password " + problem + ".", StatusCodes.Status400BadRequest);
        }

        if (password != form["password_confirmation"].ToString())
        {
            return PasswordPage(viewer, hasPassword: true, saved: false, "The confirmation does not match the new password.", StatusCodes.Status400BadRequest);
        }

        await changes.ChangeAsync(http, viewer.User, viewer.User!, password, viewer.SessionId, "own password (web); other sessions ended");
        return WebGuard.SeeOther(PasswordPath + "?saved=1");
    }

    private IResult SessionsPage(WebViewer viewer, IReadOnlyList<WebSessionRecord> sessions, bool ended)
    {
        var now = time.GetUtcNow();
        return Layout.Page(viewer, "Active sessions", h =>
        {
            h.Raw("<h1>Active sessions</h1>");
            Nav(h, SessionsPath);
            if (ended)
            {
                h.Raw("<p class=\"flash\" role=\"status\">The session was ended.</p>");
            }

            h.Raw("<p>Every browser signed in as you. Ending a session signs that browser out at its next request.</p>");
            h.Raw("<table class=\"list sessions\"><thead><tr><th scope=\"col\">Signed in</th><th scope=\"col\">Last used</th><th scope=\"col\">Address</th><th scope=\"col\">Browser</th><th scope=\"col\">With</th><th scope=\"col\"><span class=\"visually-hidden\">Actions</span></th></tr></thead><tbody>");
            foreach (var s in sessions)
            {
                var (created, used) = (Format.Parse(s.CreatedAt), Format.Parse(s.LastUsedAt));
                var current = s.Id == viewer.SessionId;
                var with = s.PersonalAccessTokenId is { } t ? "personal access token #" + t.ToString(CultureInfo.InvariantCulture) : "password";
                h.Add($"<tr data-session=\"{s.Id.ToString(CultureInfo.InvariantCulture)}\"><td data-label=\"Signed in\"><time datetime=\"{Format.Iso(created)}\">{Format.Age(created, now)}</time></td>");
                h.Add($"<td data-label=\"Last used\"><time datetime=\"{Format.Iso(used)}\">{Format.Age(used, now)}</time></td><td data-label=\"Address\">{s.IpAddress ?? "unknown"}</td>");
                h.Add($"<td data-label=\"Browser\">{s.UserAgent ?? "unknown"}</td><td data-label=\"With\">{with}</td><td>");
                if (current)
                {
                    h.Raw("<strong>This session</strong> ");
                }

                Layout.ActionButton(h, viewer, $"{SessionsPath}/{s.Id.ToString(CultureInfo.InvariantCulture)}/revoke", current ? "Sign out" : "Revoke", current ? "Sign out this session" : "Revoke the session from " + (s.IpAddress ?? "an unknown address"));
                h.Raw("</td></tr>");
            }

            h.Raw("</tbody></table>");
        });
    }

    private static IResult PasswordPage(WebViewer viewer, bool hasPassword, bool saved, string? error, int status = StatusCodes.Status200OK) =>
        Layout.Page(viewer, "Password", h =>
        {
            h.Raw("<h1>Password</h1>");
            Nav(h, PasswordPath);
            if (saved)
            {
                h.Raw("<p class=\"flash\" role=\"status\">Your password was changed. Your other sessions were ended.</p>");
            }

            Layout.ErrorFlash(h, error);

            if (!hasPassword)
            {
                h.Raw("<p>You sign in with personal access tokens and have no password. An administrator can give you one (<code>PUT /api/v4/users/:id</code> with <code>password</code>).</p>");
                return;
            }

            h.Raw("<form method=\"post\" action=\"/-/user_settings/password\" class=\"card\">");
            Layout.Csrf(h, viewer);
            h.Raw($"""
                <label for="current_password">Current password</label><input id="current_password" name="current_password" type="password" autocomplete="current-password" required>
                <label for="new_password">New password</label><input id="new_password" name="new_password" type="password" autocomplete="new-password" minlength="{Passwords.MinimumLength}" maxlength="{Passwords.MaximumLength}" required aria-describedby="password-rule">
                <p id="password-rule" class="hint">At least {Passwords.MinimumLength} characters. Changing it signs out your other sessions.</p>
                <label for="password_confirmation">Confirm the new password</label><input id="password_confirmation" name="password_confirmation" type="password" autocomplete="new-password" required>
                <button type="submit" class="button primary">Change password</button>
                </form>
                """);
        }, status);

    /// <summary>The user settings' tabs, <paramref name="current"/> marked.</summary>
    public static void Nav(HtmlBuilder h, string current)
    {
        h.Raw("<nav class=\"project-nav\" aria-label=\"User settings\">");
        foreach (var (href, label) in new[] { (PasswordPath, "Password"), (AccessTokenPages.Path, "Access tokens"), (SshKeyPages.Path, "SSH Keys"), (SessionsPath, "Active sessions") })
        {
            h.Add($"<a href=\"{href}\"{new RawHtml(href == current ? " aria-current=\"page\"" : "")}>{label}</a> ");
        }

        h.Raw("</nav>");
    }
}

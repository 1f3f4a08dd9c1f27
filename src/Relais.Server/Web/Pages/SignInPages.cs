using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Api;
using Relais.Server.Auth;
using Relais.Server.Security;
using Relais.Server.Storage;
using Relais.Server.Web.Html;

namespace Relais.Server.Web.Pages;

/// <summary>
/// <c>/users/sign_in</c>: with a username and password, or with a personal access token; both start a cookie
/// session. <c>/users/sign_out</c> ends it. Failures say only that the credentials were wrong.
/// </summary>
internal sealed class SignInPages(WebSessions sessions, AuditLog auditLog, IIdentityStore identityStore)
{
    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/users/sign_in", async (HttpContext http) =>
        {
            var viewer = await sessions.ViewerAsync(http);
            var back = WebSessions.SafeReturnPath(http.Request.Query["redirect_to"]);
            return viewer.SignedIn ? Results.Redirect(back) : Form(http, viewer, back, error: null);
        });
        app.MapPost("/users/sign_in", Task<IResult> (HttpContext http) => SignInAsync(http));
        app.MapPost("/users/sign_out", async (HttpContext http) =>
        {
            var viewer = await sessions.ViewerAsync(http);
            var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync() : FormCollection.Empty;
            if (!WebSessions.IsGenuine(viewer, form))
            {
                return WebGuard.InvalidForm(viewer);
            }

            await sessions.EndAsync(http, viewer);
            return Results.Redirect("/users/sign_in");
        });
    }

    private async Task<IResult> SignInAsync(HttpContext http)
    {
        var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync() : FormCollection.Empty;
        var back = WebSessions.SafeReturnPath(form["redirect_to"]);
        if (!WebSessions.IsGenuineSignIn(http, form))
        {
            return Form(http, WebViewer.Anonymous, back, "The form expired. Please try again.");
        }

        UserRecord? user;
        try
        {
            user = await AuthenticateAsync(http, form);
        }
        catch (AuthRefusedException refused)
        {
            // Too many failures from here or for this account: not even checked, so a right guess teaches nothing.
            AuthGuard.SetRetryAfter(http, refused.RetryAfter);
            return Form(http, WebViewer.Anonymous, back, "Too many failed sign-ins. Please try again later.", StatusCodes.Status429TooManyRequests);
        }

        if (user is null)
        {
            return Form(http, WebViewer.Anonymous, back, "Invalid login or password.", StatusCodes.Status401Unauthorized);
        }

        await sessions.StartAsync(http, user);
        await auditLog.RecordAsync(http, AuditActor.Of(user), "web_signed_in", "User", user.Id, null, form["personal_access_token"].Count > 0 ? "with a personal access token" : "with a password");
        return Results.Redirect(back);
    }

    /// <summary>
    /// The user the form's token or username and password belong to, or null (noted and counted as a failure). A
    /// password is checked only while its account is not locked (<see cref="AuthEvents.PasswordLocked"/>); a valid
    /// token always signs in. Throws <see cref="AuthRefusedException"/> when refused by the rate limit.
    /// </summary>
    private async Task<UserRecord?> AuthenticateAsync(HttpContext http, IFormCollection form)
    {
        if (form["personal_access_token"].ToString() is { Length: > 0 } token)
        {
            token = token.Trim();
            if (await identityStore.FindUserByTokenAsync(Tokens.Hash(token), http.RequestAborted) is { } byToken)
            {
                return byToken;
            }

            AuthEvents.Failed(http, TokenKind.Personal, token);
            return null;
        }

        var username = form["username"].ToString().Trim();
        if (AuthEvents.PasswordLocked(http, username) is { } wait)
        {
            throw new AuthRefusedException(wait);
        }

        if (username.Length > 0
            && await identityStore.FindSignInAsync(username, http.RequestAborted) is { } account
            && Passwords.Verify(form["password"].ToString(), account.PasswordHash))
        {
            return account.User;
        }

        AuthEvents.PasswordFailed(http, username);
        return null;
    }

    private static IResult Form(HttpContext http, WebViewer viewer, string back, string? error, int status = StatusCodes.Status200OK)
    {
        var csrf = WebSessions.SignInToken(http);
        return Layout.Page(viewer, "Sign in", h =>
        {
            h.Raw("<h1>Sign in</h1>");
            if (error is not null)
            {
                h.Add($"<p class=\"flash flash-error\" role=\"alert\">{error}</p>");
            }

            h.Add($"""
                <div class="signin">
                <form method="post" action="/users/sign_in" class="card">
                <h2>With your password</h2>
                <input type="hidden" name="{WebSessions.CsrfField}" value="{csrf}"><input type="hidden" name="redirect_to" value="{back}">
                <label for="username">Username</label><input id="username" name="username" autocomplete="username" required autofocus>
                <label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
                <button type="submit" class="button primary">Sign in</button>
                </form>
                <form method="post" action="/users/sign_in" class="card">
                <h2>With a personal access token</h2>
                <input type="hidden" name="{WebSessions.CsrfField}" value="{csrf}"><input type="hidden" name="redirect_to" value="{back}">
                <label for="personal_access_token">Token</label><input id="personal_access_token" name="personal_access_token" type="password" autocomplete="off" required>
                <button type="submit" class="button">Sign in with token</button>
                </form>
                </div>
                """);
        }, status);
    }
}

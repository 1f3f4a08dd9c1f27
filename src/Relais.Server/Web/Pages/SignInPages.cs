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
/// <c>/users/sign_in</c>: with a username and password, or with a personal access token with the <c>api</c> scope
/// (the session then ends with the token); both start a cookie session. <c>/users/sign_out</c> ends it. Failures say
/// only that the credentials were wrong, and take as long whether the user exists or has a password
/// (<see cref="SignInPasswordCheck"/>). Root's first password sign-in deletes <c>DATA/initial-root-password</c>.
/// </summary>
internal sealed class SignInPages(WebSessions sessions, AuditLog auditLog, IIdentityStore identityStore, SignInPasswordCheck passwords, string dataDir, TimeProvider time)
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

        UserRecord? user = null;
        long? tokenId = null;
        var withToken = form["personal_access_token"].ToString() is { Length: > 0 };
        if (withToken)
        {
            if (await identityStore.FindTokenAsync(Tokens.Hash(form["personal_access_token"].ToString().Trim()), time.GetUtcNow(), http.RequestAborted) is { } token)
            {
                if (!TokenScopes.Allows(token.ScopeList, TokenNeed.WriteApi))
                {
                    return Form(http, WebViewer.Anonymous, back, "This token cannot sign in: it needs the api scope.", StatusCodes.Status403Forbidden);
                }

                (user, tokenId) = (token.User, token.TokenId);
            }
        }
        else
        {
            // Always one password hash, even for an unknown user or one without a password: the time tells nothing.
            var username = form["username"].ToString().Trim();
            var account = username.Length > 0 ? await identityStore.FindSignInAsync(username, http.RequestAborted) : null;
            user = passwords.Verify(account, form["password"].ToString())?.User;
        }

        if (user is null)
        {
            // Counted by the failed-authentication rate limit (AuthGuard) and written to the audit log.
            AuthEvents.Failed(http, TokenKind.Personal, withToken ? form["personal_access_token"].ToString() : "password-" + form["username"]);
            return Form(http, WebViewer.Anonymous, back, "Invalid login or password.", StatusCodes.Status401Unauthorized);
        }

        await sessions.StartAsync(http, user, tokenId);
        await auditLog.RecordAsync(http, AuditActor.Of(user), "web_signed_in", "User", user.Id, null, withToken ? "with a personal access token" : "with a password");
        if (!withToken && user.Username == RootPasswordBootstrap.RootUsername)
        {
            RootPasswordBootstrap.Forget(dataDir); // root knows the password now: the file has done its job
        }

        return Results.Redirect(back);
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
                <h2>With a personal access token</h2><p>It needs the <code>api</code> scope; the session ends with the token.</p>
                <input type="hidden" name="{WebSessions.CsrfField}" value="{csrf}"><input type="hidden" name="redirect_to" value="{back}">
                <label for="personal_access_token">Token</label><input id="personal_access_token" name="personal_access_token" type="password" autocomplete="off" required>
                <button type="submit" class="button">Sign in with token</button>
                </form>
                </div>
                """);
        }, status);
    }
}

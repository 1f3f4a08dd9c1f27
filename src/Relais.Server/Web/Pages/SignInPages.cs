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
/// With <c>--allow-signup</c> the form links to <see cref="SignUpPages"/>.
/// </summary>
internal sealed class SignInPages(WebSessions sessions, AuditLog auditLog, IIdentityStore identityStore, SignInPasswordCheck passwords, string dataDir, TimeProvider time, bool allowSignup = false)
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

        SignIn found;
        try
        {
            found = await AuthenticateAsync(http, form);
        }
        catch (AuthRefusedException refused)
        {
            // Too many failures from here or for this account: not even checked, so a right guess teaches nothing.
            AuthGuard.SetRetryAfter(http, refused.RetryAfter);
            return Form(http, WebViewer.Anonymous, back, "Too many failed sign-ins. Please try again later.", StatusCodes.Status429TooManyRequests);
        }

        if (found.LacksApiScope)
        {
            return Form(http, WebViewer.Anonymous, back, "This token cannot sign in: it needs the api scope.", StatusCodes.Status403Forbidden);
        }

        if (found.User is not { } user)
        {
            return Form(http, WebViewer.Anonymous, back, "Invalid login or password.", StatusCodes.Status401Unauthorized);
        }

        var withToken = found.TokenId is not null;
        await sessions.StartAsync(http, user, found.TokenId);
        await auditLog.RecordAsync(http, AuditActor.Of(user), "web_signed_in", "User", user.Id, null, withToken ? "with a personal access token" : "with a password");
        if (!withToken && user.Username == RootPasswordBootstrap.RootUsername)
        {
            RootPasswordBootstrap.Forget(dataDir); // root knows the password now: the file has done its job
        }

        return Results.Redirect(back);
    }

    /// <summary>
    /// Who the form's token or username and password belong to (none: noted and counted as a failure). A token must
    /// be live and have the <c>api</c> scope; its id ties the session to it. A password is checked only while its
    /// account is not locked (<see cref="AuthEvents.PasswordLocked"/>), and always with one hash, even for an unknown
    /// user or one without a password (<see cref="SignInPasswordCheck"/>): the time tells nothing. Throws
    /// <see cref="AuthRefusedException"/> when refused by the rate limit.
    /// </summary>
    private async Task<SignIn> AuthenticateAsync(HttpContext http, IFormCollection form)
    {
        if (form["personal_access_token"].ToString() is { Length: > 0 } token)
        {
            token = token.Trim();
            if (await identityStore.FindTokenAsync(Tokens.Hash(token), time.GetUtcNow(), http.RequestAborted) is { } byToken)
            {
                return TokenScopes.Allows(byToken.ScopeList, TokenNeed.WriteApi) ? new SignIn(byToken.User, byToken.TokenId, false) : new SignIn(null, null, true);
            }

            AuthEvents.Failed(http, TokenKind.Personal, token);
            return new SignIn(null, null, false);
        }

        var username = form["username"].ToString().Trim();
        if (AuthEvents.PasswordLocked(http, username) is { } wait)
        {
            throw new AuthRefusedException(wait);
        }

        var account = username.Length > 0 ? await identityStore.FindSignInAsync(username, http.RequestAborted) : null;
        if (passwords.Verify(account, form["password"].ToString()) is { } verified)
        {
            return new SignIn(verified.User, null, false);
        }

        AuthEvents.PasswordFailed(http, username);
        return new SignIn(null, null, false);
    }

    /// <summary>The outcome of the form's credentials: the user (and the token that opened the session), or nobody; <see cref="LacksApiScope"/> for a live token without <c>api</c>.</summary>
    private readonly record struct SignIn(UserRecord? User, long? TokenId, bool LacksApiScope);

    private IResult Form(HttpContext http, WebViewer viewer, string back, string? error, int status = StatusCodes.Status200OK)
    {
        var csrf = WebSessions.SignInToken(http);
        return Layout.Page(viewer, "Sign in", h =>
        {
            h.Raw("<h1>Sign in</h1>");
            Layout.ErrorFlash(h, error);

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
            if (allowSignup)
            {
                h.Raw("<p>No account? <a href=\"/users/sign_up\">Register</a></p>");
            }
        }, status);
    }
}

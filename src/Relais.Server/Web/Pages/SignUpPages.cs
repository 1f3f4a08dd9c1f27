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
/// <c>/users/sign_up</c>, open only with <c>relais serve --allow-signup</c> (otherwise it answers 404, for GET and POST): anyone
/// makes an account with a username, an email address and a password, never an administrator, and is signed in.
/// The form carries the sign-in form's anti-forgery token. Names the web UI uses as paths are reserved.
/// </summary>
internal sealed class SignUpPages(WebSessions sessions, AuditLog auditLog, IIdentityStore identityStore, TimeProvider time, bool allowSignup)
{
    public void Map(IEndpointRouteBuilder app)
    {
        // Mapped even when closed, so the path is not taken for a project page (which would ask to sign in).
        app.MapGet("/users/sign_up", async (HttpContext http) =>
        {
            var viewer = await sessions.ViewerAsync(http);
            return !allowSignup ? Layout.NotFound(viewer) : viewer.SignedIn ? Results.Redirect("/") : Form(http, viewer, "", "", error: null);
        });
        app.MapPost("/users/sign_up", Task<IResult> (HttpContext http) => allowSignup ? SignUpAsync(http) : Task.FromResult(Layout.NotFound(WebViewer.Anonymous)));
    }

    private async Task<IResult> SignUpAsync(HttpContext http)
    {
        var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync() : FormCollection.Empty;
        var username = form["username"].ToString().Trim();
        var email = form["email"].ToString().Trim();
        if (!WebSessions.IsGenuineSignIn(http, form))
        {
            return Form(http, WebViewer.Anonymous, username, email, "The form expired. Please try again.");
        }

        var password = form["password"].ToString();
        var problem = !UserEndpoints.IsValidUsername(username) || ReservedNamespaces.Contains(username) ? "This username cannot be used."
            : !UserEndpoints.IsValidEmail(email) ? "The email address is invalid."
            : Passwords.Problem(password) is { } weak ? "The password " + weak + "."
            : null;
        if (problem is not null)
        {
            return Form(http, WebViewer.Anonymous, username, email, problem, StatusCodes.Status422UnprocessableEntity);
        }

        if (await identityStore.AddUserAsync(username, false, time.GetUtcNow(), CancellationToken.None) is not { } user)
        {
            return Form(http, WebViewer.Anonymous, username, email, "This username is taken.", StatusCodes.Status409Conflict);
        }

        await identityStore.UpdateUserAsync(user.Id, new UserChanges(Email: email), CancellationToken.None);
        await identityStore.SetPasswordIfUnsetAsync(user.Username, Passwords.Hash(password), CancellationToken.None);
        await auditLog.RecordAsync(http, AuditActor.Of(user), "user_signed_up", "User", user.Id, user.Username, null);
        await sessions.StartAsync(http, user, null);
        return Results.Redirect("/");
    }

    private static IResult Form(HttpContext http, WebViewer viewer, string username, string email, string? error, int status = StatusCodes.Status200OK)
    {
        var csrf = WebSessions.SignInToken(http);
        return Layout.Page(viewer, "Register", h =>
        {
            h.Raw("<h1>Register</h1>");
            Layout.ErrorFlash(h, error);

            h.Add($"""
                <div class="signin">
                <form method="post" action="/users/sign_up" class="card">
                <input type="hidden" name="{WebSessions.CsrfField}" value="{csrf}">
                <label for="username">Username</label><input id="username" name="username" value="{username}" autocomplete="username" required autofocus>
                <label for="email">Email</label><input id="email" name="email" type="email" value="{email}" autocomplete="email" required>
                <label for="password">Password</label><input id="password" name="password" type="password" autocomplete="new-password" minlength="8" required>
                <button type="submit" class="button primary">Register</button>
                <p>Already have an account? <a href="/users/sign_in">Sign in</a></p>
                </form>
                </div>
                """);
        }, status);
    }
}

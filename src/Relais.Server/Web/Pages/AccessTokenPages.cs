using System.Globalization;
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
/// The signed-in user's personal access tokens at GitLab's address <c>/-/user_settings/personal_access_tokens</c>:
/// creates one (name, any scopes, expiry day; made by <see cref="PersonalTokenIssuer"/> as over the API) and shows
/// its value once: the POST redirects (so a reload never makes a second token) with the value in a short-lived
/// HttpOnly cookie for this page only (<see cref="NewTokenCookie"/>), which the next GET shows and deletes; the
/// server keeps only its hash. Lists the user's tokens (scopes, created, last used, expiry, state) and revokes an
/// active one (its web sessions end). Changes are audited.
/// </summary>
internal sealed class AccessTokenPages(WebGuard guard, AuditLog auditLog, IIdentityStore identityStore, PersonalTokenIssuer issuer, TimeProvider time)
{
    public const string Path = "/-/user_settings/personal_access_tokens";

    /// <summary>Carries a new token's name and value from the POST to the page that shows it once.</summary>
    public const string NewTokenCookie = "relais_new_token";

    /// <summary>The expiry the form suggests, as GitLab's: 30 days from today.</summary>
    private const int SuggestedLifetimeDays = 30;

    /// <summary>Each scope and what it allows here.</summary>
    private static readonly (string Scope, string Meaning)[] ScopeHelp =
    [
        (TokenScopes.Api, "everything you can do: the REST API (read and write), git over HTTP (clone and push), the web UI"),
        (TokenScopes.ReadApi, "read the REST API and clone"),
        (TokenScopes.ReadUser, "read your own user (GET /user)"),
        (TokenScopes.CreateRunner, "create runners"),
        (TokenScopes.K8sProxy, "GitLab's agent for Kubernetes (nothing uses it here)"),
        (TokenScopes.SelfRotate, "rotate this token itself (POST /personal_access_tokens/self/rotate)"),
        (TokenScopes.ReadRepository, "clone and fetch over HTTP"),
        (TokenScopes.WriteRepository, "clone, fetch and push over HTTP"),
        (TokenScopes.ReadRegistry, "read the container registry (not built yet)"),
        (TokenScopes.WriteRegistry, "write the container registry (not built yet)"),
    ];

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(Path, Task<IResult> (HttpContext http) => guard.SignedInAsync(http, admin: false, async viewer =>
            await PageAsync(viewer, http.Request.Query["done"].ToString(), TakeNewToken(http), null, StatusCodes.Status200OK, http.RequestAborted)));
        app.MapPost(Path, Task<IResult> (HttpContext http) => PostAsync(http, (viewer, form) => CreateAsync(http, viewer, form)));
        app.MapPost(Path + "/{tid:long}/revoke", (HttpContext http, long tid) => PostAsync(http, async (viewer, _) =>
        {
            var token = await identityStore.GetPersonalAccessTokenAsync(tid, http.RequestAborted);
            if (token is null || token.UserId != viewer.User!.Id)
            {
                return Layout.NotFound(viewer, "Token");
            }

            if (await identityStore.RevokePersonalAccessTokenAsync(tid, CancellationToken.None))
            {
                await auditLog.RecordAsync(http, AuditActor.Of(viewer.User), "personal_access_token_revoked", "User", viewer.User.Id, viewer.User.Username, "token " + token.Name + " (web)");
            }

            return WebGuard.SeeOther(Path + "?done=revoked");
        }));
    }

    private Task<IResult> PostAsync(HttpContext http, Func<WebViewer, IFormCollection, Task<IResult>> handler) =>
        guard.SignedInAsync(http, admin: false, async viewer =>
        {
            var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(http.RequestAborted) : FormCollection.Empty;
            return WebSessions.IsGenuine(viewer, form) ? await handler(viewer, form) : WebGuard.InvalidForm(viewer);
        });

    private async Task<IResult> CreateAsync(HttpContext http, WebViewer viewer, IFormCollection form)
    {
        var request = new TokenRequest(form["name"].ToString(), string.Join(',', form["scopes"].ToArray()), form["expires_at"].ToString());
        var issue = await issuer.IssueAsync(http, viewer.User, viewer.User!, request, TokenScopes.Known);
        if (issue.Token is not { } created)
        {
            return await PageAsync(viewer, "", null, $"The {issue.Field!.Replace('_', ' ')} {issue.Problem}.", StatusCodes.Status400BadRequest, http.RequestAborted);
        }

        http.Response.Cookies.Append(NewTokenCookie, Uri.EscapeDataString(created.Name) + ":" + created.Token, CookieOptions(http, TimeSpan.FromMinutes(2)));
        return WebGuard.SeeOther(Path);
    }

    /// <summary>The token the last POST made, once: (name, value) from the cookie, which is deleted.</summary>
    private static (string Name, string Value)? TakeNewToken(HttpContext http)
    {
        if (http.Request.Cookies[NewTokenCookie] is not { } cookie || cookie.Split(':') is not [var name, var value])
        {
            return null;
        }

        http.Response.Cookies.Delete(NewTokenCookie, CookieOptions(http, null));
        return (Uri.UnescapeDataString(name), value);
    }

    private static CookieOptions CookieOptions(HttpContext http, TimeSpan? maxAge) => new()
    {
        Path = Path,
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = http.Request.IsHttps,
        MaxAge = maxAge,
        IsEssential = true,
    };

    private async Task<IResult> PageAsync(WebViewer viewer, string done, (string Name, string Value)? created, string? error, int status, CancellationToken cancel)
    {
        var tokens = await identityStore.ListPersonalAccessTokensAsync(viewer.User!.Id, cancel);
        var now = time.GetUtcNow();
        var today = TokenGrant.Today(now);
        var suggested = DateOnly.FromDateTime(now.UtcDateTime).AddDays(SuggestedLifetimeDays).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var tomorrow = DateOnly.FromDateTime(now.UtcDateTime).AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return Layout.Page(viewer, "Personal access tokens", h =>
        {
            h.Raw("<h1>Personal access tokens</h1>");
            UserSettingsPages.Nav(h, Path);
            if (done == "revoked")
            {
                h.Raw("<p class=\"flash\" role=\"status\">The token was revoked.</p>");
            }

            Layout.ErrorFlash(h, error);
            if (created is { } fresh)
            {
                h.Add($"""
                    <div class="flash new-token" role="status"><p>Your new personal access token <strong>{fresh.Name}</strong> was created. Copy it now: it is not shown again.</p>
                    <label for="new-token">Your new personal access token</label><input id="new-token" type="text" readonly value="{fresh.Value}" spellcheck="false" autocomplete="off"></div>
                    """);
            }

            h.Raw("<form method=\"post\" action=\"" + Path + "\" class=\"card wide\"><h2>Add a personal access token</h2>");
            Layout.Csrf(h, viewer);
            h.Add($"""
                <label for="token-name">Token name</label><input id="token-name" name="name" maxlength="255" required>
                <label for="expires_at">Expiration date</label><input id="expires_at" name="expires_at" type="date" min="{tomorrow}" value="{suggested}" aria-describedby="expiry-hint">
                <p id="expiry-hint" class="hint">The token stops working at the start of this day (UTC). Leave it empty for a token that never expires.</p>
                <fieldset class="scopes"><legend>Scopes</legend>
                """);
            foreach (var (scope, meaning) in ScopeHelp)
            {
                h.Add($"<div class=\"scope\"><input type=\"checkbox\" id=\"scope-{scope}\" name=\"scopes\" value=\"{scope}\"><label for=\"scope-{scope}\"><code>{scope}</code></label> <span class=\"hint\">{meaning}</span></div>");
            }

            h.Raw("</fieldset><button type=\"submit\" class=\"button primary\">Create personal access token</button></form>");
            Table(h, viewer, tokens, today, now);
        }, status);
    }

    private static void Table(HtmlBuilder h, WebViewer viewer, IReadOnlyList<TokenDetailRecord> tokens, string today, DateTimeOffset now)
    {
        h.Raw("<h2>Your tokens</h2>");
        if (tokens.Count == 0)
        {
            h.Raw("<p>You have no personal access tokens.</p>");
            return;
        }

        h.Raw("<table class=\"list tokens\"><thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Scopes</th><th scope=\"col\">Created</th><th scope=\"col\">Last used</th><th scope=\"col\">Expires</th><th scope=\"col\">State</th><th scope=\"col\"><span class=\"visually-hidden\">Actions</span></th></tr></thead><tbody>");
        foreach (var t in tokens.OrderByDescending(t => t.Id))
        {
            var id = t.Id.ToString(CultureInfo.InvariantCulture);
            var expired = t.ExpiresAt is { } e && string.CompareOrdinal(e, today) <= 0;
            var state = t.Revoked ? "revoked" : expired ? "expired" : "active";
            var (created, used) = (Format.Parse(t.CreatedAt), Format.Parse(t.LastUsedAt));
            h.Add($"<tr data-token=\"{id}\"><td data-label=\"Name\">{t.Name}</td><td data-label=\"Scopes\">{string.Join(", ", t.ScopeList)}</td>");
            h.Add($"<td data-label=\"Created\"><time datetime=\"{Format.Iso(created)}\">{Format.Age(created, now)}</time></td>");
            h.Add($"<td data-label=\"Last used\">{(used is null ? new RawHtml("never") : new RawHtml($"<time datetime=\"{Format.Iso(used)}\">{System.Net.WebUtility.HtmlEncode(Format.Age(used, now))}</time>"))}</td>");
            h.Add($"<td data-label=\"Expires\">{t.ExpiresAt ?? "never"}</td><td data-label=\"State\">{state}</td><td>");
            if (state == "active")
            {
                Layout.ActionButton(h, viewer, $"{Path}/{id}/revoke", "Revoke", "Revoke the token " + t.Name, "button danger");
            }

            h.Raw("</td></tr>");
        }

        h.Raw("</tbody></table>");
    }
}

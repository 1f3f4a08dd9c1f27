using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Relais.Server.Auth;
using Relais.Server.Security;
using Relais.Server.Storage;

namespace Relais.Server.Web;

/// <summary>
/// Cookie sessions: a random secret in an HttpOnly, SameSite=Lax cookie, stored server-side only as its SHA-256
/// (so coordinators sharing a database share sessions, and signing out ends the session everywhere). POSTs carry
/// an anti-forgery token: the session's (<see cref="WebViewer.CsrfToken"/>), or, for the sign-in form, a random
/// value that must match a cookie (double submit).
/// </summary>
internal sealed class WebSessions(IIdentityStore identityStore, TimeProvider time)
{
    public const string CookieName = "relais_session";
    public const string SignInCookieName = "relais_signin";
    public const string CsrfField = "authenticity_token";
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    public async Task<WebViewer> ViewerAsync(HttpContext http)
    {
        if (http.Request.Cookies[CookieName] is { Length: > 0 } token
            && await identityStore.FindUserBySessionAsync(Tokens.Hash(token), time.GetUtcNow(), http.RequestAborted) is { } user)
        {
            return new WebViewer(user, token);
        }

        // Scripts may send a personal access token in a header (never a query: a link could carry it).
        var header = http.Request.Headers["PRIVATE-TOKEN"].ToString();
        if (header.Length > 0)
        {
            if (await identityStore.FindUserByTokenAsync(Tokens.Hash(header), http.RequestAborted) is { } byToken)
            {
                AuthEvents.Succeeded(http, TokenKind.Personal, byToken.Id, byToken.Username, header);
                return new WebViewer(byToken, null, ByHeaderToken: true);
            }

            AuthEvents.Failed(http, TokenKind.Personal, header); // counted by the rate limit, like the API's
        }

        return WebViewer.Anonymous;
    }

    public async Task StartAsync(HttpContext http, UserRecord user)
    {
        var token = Tokens.New("rs-");
        var now = time.GetUtcNow();
        await identityStore.CreateSessionAsync(Tokens.Hash(token), user.Id, now, now + Lifetime, CancellationToken.None);
        http.Response.Cookies.Append(CookieName, token, Options(http, now + Lifetime));
        http.Response.Cookies.Delete(SignInCookieName, Options(http, null));
    }

    public async Task EndAsync(HttpContext http, WebViewer viewer)
    {
        if (viewer.SessionToken is { } token)
        {
            await identityStore.DeleteSessionAsync(Tokens.Hash(token), CancellationToken.None);
        }

        http.Response.Cookies.Delete(CookieName, Options(http, null));
    }

    /// <summary>Whether a POST from <paramref name="viewer"/> carries the right anti-forgery token (header-token callers need none).</summary>
    public static bool IsGenuine(WebViewer viewer, IFormCollection form) =>
        viewer.ByHeaderToken || (viewer.CsrfToken is { } expected && SameText(form[CsrfField].ToString(), expected));

    /// <summary>The sign-in form's anti-forgery value: the cookie's if there is one, else a new one set now.</summary>
    public static string SignInToken(HttpContext http)
    {
        if (http.Request.Cookies[SignInCookieName] is { Length: >= 16 } existing)
        {
            return existing;
        }

        var value = Tokens.New("si-");
        http.Response.Cookies.Append(SignInCookieName, value, Options(http, null));
        return value;
    }

    public static bool IsGenuineSignIn(HttpContext http, IFormCollection form) =>
        http.Request.Cookies[SignInCookieName] is { Length: >= 16 } cookie && SameText(form[CsrfField].ToString(), cookie);

    /// <summary>A local path to go back to after sign-in; anything else (another host, <c>//evil</c>, control characters) becomes <c>/</c>.</summary>
    public static string SafeReturnPath(string? path) =>
        path is { Length: > 0 } p && p[0] == '/' && !p.StartsWith("//", StringComparison.Ordinal) && !p.StartsWith("/\\", StringComparison.Ordinal)
            && !p.Any(char.IsControl) ? p : "/";

    private static CookieOptions Options(HttpContext http, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Lax,
        Secure = http.Request.IsHttps,
        Path = "/",
        Expires = expires,
        IsEssential = true,
    };

    private static bool SameText(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}

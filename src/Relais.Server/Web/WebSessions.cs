using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Relais.Server.Api;
using Relais.Server.Auth;
using Relais.Server.Security;
using Relais.Server.Storage;

namespace Relais.Server.Web;

/// <summary>
/// Cookie sessions: a random secret in an HttpOnly, SameSite=Lax cookie (Secure when the request came over HTTPS),
/// stored server-side only as its SHA-256 (so coordinators sharing a database share sessions, and signing out ends
/// the session everywhere). A session opened with a personal access token lives only as long as that token (revoked
/// or expired: the session is gone). Each session records its address, user agent and last use (at most once a
/// minute) for the user's list of sessions. POSTs carry an anti-forgery token: the session's
/// (<see cref="WebViewer.CsrfToken"/>), or, for the sign-in form, a random value that must match a cookie (double submit).
/// </summary>
internal sealed class WebSessions(IIdentityStore identityStore, IMemberStore memberStore, TimeProvider time)
{
    public const string CookieName = "relais_session";
    public const string SignInCookieName = "relais_signin";
    public const string CsrfField = "authenticity_token";
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    /// <summary>How stale a session's last use may get before a request writes it again.</summary>
    private static readonly TimeSpan TouchInterval = TimeSpan.FromMinutes(1);

    /// <summary>Whether the server runs a container registry (set once while the endpoints are mapped); every viewer carries it for the navigation.</summary>
    public bool ContainerRegistry { get; set; }

    public async Task<WebViewer> ViewerAsync(HttpContext http)
    {
        var viewer = await AuthenticateAsync(http) with { ContainerRegistry = ContainerRegistry };
        return viewer.User is { } user
            ? viewer with { Members = (await ApiCaller.WithMembershipsAsync(user, null, memberStore, time.GetUtcNow(), http.RequestAborted)).Members }
            : viewer;
    }

    /// <summary>The viewer by cookie session or <c>PRIVATE-TOKEN</c> header, without memberships.</summary>
    private async Task<WebViewer> AuthenticateAsync(HttpContext http)
    {
        var now = time.GetUtcNow();
        if (http.Request.Cookies[CookieName] is { Length: > 0 } token
            && await identityStore.FindSessionAsync(Tokens.Hash(token), now, http.RequestAborted) is { } session)
        {
            if (!DateTimeOffset.TryParse(session.LastUsedAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var lastUsed)
                || now - lastUsed >= TouchInterval)
            {
                await identityStore.TouchSessionAsync(session.SessionId, now, http.Connection.RemoteIpAddress?.ToString(), CancellationToken.None);
            }

            return new WebViewer(session.User, token, SessionId: session.SessionId);
        }

        // Scripts may send a personal access token in a header (never a query: a link could carry it). Its scopes
        // apply as in the REST API: read_api may look (GET/HEAD), only api may act.
        var header = http.Request.Headers["PRIVATE-TOKEN"].ToString();
        if (header.Length > 0)
        {
            if (await identityStore.FindTokenAsync(Tokens.Hash(header), now, http.RequestAborted) is { } byToken)
            {
                AuthEvents.Succeeded(http, TokenKind.Personal, byToken.Id, byToken.Username, header);
                return TokenScopes.Allows(byToken.ScopeList, TokenScopes.ForApiMethod(http.Request.Method))
                    ? new WebViewer(byToken.User, null, ByHeaderToken: true)
                    : WebViewer.Anonymous;
            }

            AuthEvents.Failed(http, TokenKind.Personal, header); // counted by the rate limit, like the API's
        }

        return WebViewer.Anonymous;
    }

    /// <summary>Opens a session for <paramref name="user"/>; <paramref name="personalAccessTokenId"/> ties it to the token it was opened with.</summary>
    public async Task StartAsync(HttpContext http, UserRecord user, long? personalAccessTokenId)
    {
        var token = Tokens.New("rs-");
        var now = time.GetUtcNow();
        var agent = http.Request.Headers.UserAgent.ToString();
        await identityStore.CreateSessionAsync(
            new NewWebSession(
                Tokens.Hash(token), user.Id, personalAccessTokenId, now, now + Lifetime, http.Connection.RemoteIpAddress?.ToString(),
                agent.Length == 0 ? null : agent[..Math.Min(agent.Length, 255)]),
            CancellationToken.None);
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

    /// <summary>
    /// A local path to go back to after sign-in; anything else (another host, <c>//evil</c>, <c>/\evil</c>, control
    /// characters) becomes <c>/</c>. A Location header is ASCII: other characters are percent-encoded as UTF-8 (<c>/é</c> → <c>/%C3%A9</c>).
    /// </summary>
    public static string SafeReturnPath(string? path)
    {
        if (path is not { Length: > 0 } p || p[0] != '/' || p.StartsWith("//", StringComparison.Ordinal) || p.StartsWith("/\\", StringComparison.Ordinal)
            || p.Any(char.IsControl))
        {
            return "/";
        }

        var safe = new StringBuilder(p.Length);
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in p.EnumerateRunes())
        {
            if (rune.Value is > 0x20 and < 0x7F)
            {
                safe.Append((char)rune.Value);
                continue;
            }

            var length = rune.EncodeToUtf8(utf8);
            foreach (var b in utf8[..length])
            {
                safe.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return safe.ToString();
    }

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

using Microsoft.AspNetCore.Http;

namespace Relais.Server.Security;

/// <summary>The kinds of token a request can present.</summary>
public enum TokenKind
{
    /// <summary>A personal access token (<c>glpat-</c>): the REST API, runner creation, git.</summary>
    Personal,

    /// <summary>A runner authentication token (<c>glrt-</c>).</summary>
    Runner,

    /// <summary>A job token (<c>glcbt-</c>), valid while its job runs.</summary>
    Job,

    /// <summary>A deploy token (<c>gldt-</c>): git over HTTP on its one project.</summary>
    Deploy,
}

/// <summary>What the authentication of one request found: who (kind and id) or that the token matched nothing.</summary>
public sealed record AuthNote(TokenKind Kind, bool Succeeded, long? Id, string Name, string TokenPrefix);

/// <summary>
/// Where each endpoint says how its authentication went, in one line, at the place it validated the credential. A
/// failure is counted by the rate limit (<see cref="AuthThrottle"/>, which <see cref="AuthGuard"/> puts in the
/// request's features) and, when this client has failed too often, refused there: <see cref="Failed"/> throws
/// <see cref="AuthRefusedException"/> and the guard answers 429. A success is never counted nor refused. The guard
/// writes the audit log after the request, so no endpoint needs to know about either.
/// </summary>
public static class AuthEvents
{
    private const string Key = "relais.auth";

    public static void Succeeded(HttpContext http, TokenKind kind, long id, string name, string token)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.Items[Key] = new AuthNote(kind, true, id, name, Prefix(token));
    }

    /// <summary>
    /// Notes that <paramref name="token"/> (given as git's HTTP Basic password under <paramref name="gitUser"/>)
    /// matched nothing, and counts it; throws <see cref="AuthRefusedException"/> when this client is over a limit.
    /// </summary>
    public static void Failed(HttpContext http, TokenKind kind, string token, string? gitUser = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        var note = new AuthNote(kind, false, null, "", Prefix(token));
        Count(http, AuthAttempt.Token(ClientAddress.Of(http), note.TokenPrefix, gitUser));
        http.Items[Key] = note; // a refused failure is not audited: a flood writes at most the limit's worth of rows
    }

    /// <summary>Notes and counts a wrong password (or unknown username) on the sign-in form; throws like <see cref="Failed"/>.</summary>
    public static void PasswordFailed(HttpContext http, string username)
    {
        ArgumentNullException.ThrowIfNull(http);
        Count(http, AuthAttempt.Password(ClientAddress.Of(http), username));
        http.Items[Key] = new AuthNote(TokenKind.Personal, false, null, "", Prefix("password-" + username));
    }

    /// <summary>How long password sign-in to <paramref name="username"/> from this client is locked (the password must not be checked), or null.</summary>
    public static TimeSpan? PasswordLocked(HttpContext http, string username)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.Features.Get<AuthThrottle>()?.AccountLocked(AuthAttempt.Password(ClientAddress.Of(http), username));
    }

    private static void Count(HttpContext http, AuthAttempt attempt)
    {
        if (http.Features.Get<AuthThrottle>()?.Fail(attempt) is { } wait)
        {
            throw new AuthRefusedException(wait);
        }
    }

    public static AuthNote? Of(HttpContext http) => http?.Items[Key] as AuthNote;

    /// <summary>The first characters of a token: its type and 4 of its 32 random characters; never enough to use it.</summary>
    public static string Prefix(string? token) => token is null ? "" : token[..Math.Min(token.Length, token.IndexOf('-', StringComparison.Ordinal) + 5)];
}

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
}

/// <summary>What the authentication of one request found: who (kind and id) or that the token matched nothing.</summary>
public sealed record AuthNote(TokenKind Kind, bool Succeeded, long? Id, string Name, string TokenPrefix);

/// <summary>
/// Where each endpoint says how its authentication went, in one line, so <see cref="AuthGuard"/> can count failures
/// (rate limit) and write the audit log after the request, without every endpoint knowing about either.
/// </summary>
public static class AuthEvents
{
    private const string Key = "relais.auth";

    public static void Succeeded(HttpContext http, TokenKind kind, long id, string name, string token)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.Items[Key] = new AuthNote(kind, true, id, name, Prefix(token));
    }

    public static void Failed(HttpContext http, TokenKind kind, string token)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.Items[Key] = new AuthNote(kind, false, null, "", Prefix(token));
    }

    public static AuthNote? Of(HttpContext http) => http?.Items[Key] as AuthNote;

    /// <summary>The first characters of a token: its type and 4 of its 32 random characters; never enough to use it.</summary>
    public static string Prefix(string? token) => token is null ? "" : token[..Math.Min(token.Length, token.IndexOf('-', StringComparison.Ordinal) + 5)];
}

using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Relais.Server.Auth;
using Relais.Server.RunnerApi;

namespace Relais.Server.Security;

/// <summary>
/// Rate limit on failed authentication, and the audit of token use, around every request. Before: a client
/// whose address (or address and token prefix) failed too often in the window gets 429 with <c>Retry-After</c>,
/// without its token being checked. After: the endpoint's <see cref="AuthNote"/> is counted (failures) and audited
/// (<c>authentication_failed</c>; <c>token_used</c> at most once per token per <see cref="AuthThrottleOptions.TokenUseAuditInterval"/>).
/// </summary>
internal sealed class AuthGuard(AuthThrottle throttle, AuthThrottleOptions options, AuditLog auditLog, TimeProvider time)
{
    private readonly ConcurrentDictionary<(TokenKind, long), DateTimeOffset> _lastUseAudited = new();

    public static void Use(WebApplication app, AuthGuard guard) => app.Use(guard.InvokeAsync);

    private async Task InvokeAsync(HttpContext http, RequestDelegate next)
    {
        var address = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var token = PresentedToken(http.Request);
        var hash = token is null ? null : Tokens.Hash(token);
        if (throttle.RetryAfter(address, AuthEvents.Prefix(token), hash) is { } wait)
        {
            http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            await ApiResults.Error(StatusCodes.Status429TooManyRequests, "429 Too Many Requests - too many failed authentications").ExecuteAsync(http);
            return;
        }

        await next(http);
        if (AuthEvents.Of(http) is not { } note)
        {
            return;
        }

        if (!note.Succeeded)
        {
            throttle.Failed(address, note.TokenPrefix);
            await auditLog.RecordAsync(http, new AuditActor(null, "anonymous"), "authentication_failed", "Token", null, null, $"{Kind(note.Kind)} token {note.TokenPrefix}… on {http.Request.Method} {http.Request.Path}");
            return;
        }

        if (hash is not null)
        {
            throttle.Succeeded(address, hash);
        }

        var now = time.GetUtcNow();
        var key = (note.Kind, note.Id ?? 0);
        if (_lastUseAudited.TryGetValue(key, out var last) && now - last < options.TokenUseAuditInterval)
        {
            return;
        }

        _lastUseAudited[key] = now;
        if (_lastUseAudited.Count > 10_000)
        {
            foreach (var (old, at) in _lastUseAudited)
            {
                if (now - at >= options.TokenUseAuditInterval)
                {
                    _lastUseAudited.TryRemove(old, out _);
                }
            }
        }

        await auditLog.RecordAsync(http, new AuditActor(note.Kind == TokenKind.Personal ? note.Id : null, note.Name), "token_used", note.Kind == TokenKind.Personal ? "User" : note.Kind.ToString(), note.Id, null, $"{Kind(note.Kind)} token {note.TokenPrefix}… on {http.Request.Method} {http.Request.Path}");
    }

    private static string Kind(TokenKind kind) => kind switch
    {
        TokenKind.Personal => "personal",
        TokenKind.Runner => "runner",
        _ => "job",
    };

    /// <summary>A token in a header, the query or HTTP Basic (tokens in a JSON body are seen only after the request).</summary>
    private static string? PresentedToken(HttpRequest request)
    {
        foreach (var name in (string[])["PRIVATE-TOKEN", "JOB-TOKEN", "RUNNER-TOKEN"])
        {
            if (request.Headers[name].ToString() is { Length: > 0 } value)
            {
                return value;
            }
        }

        foreach (var name in (string[])["private_token", "token", "job_token"])
        {
            if (request.Query[name].ToString() is { Length: > 0 } value)
            {
                return value;
            }
        }

        var auth = request.Headers.Authorization.ToString();
        if (auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return auth["Bearer ".Length..].Trim();
        }

        return Git.GitAccess.ReadBasic(request) is var (_, password) && password.Length > 0 ? password : null;
    }
}

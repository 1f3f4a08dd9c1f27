using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Relais.Server.RunnerApi;

namespace Relais.Server.Security;

/// <summary>
/// The rate limit on failed authentication and the audit of token use, around every request. It puts the
/// <see cref="AuthThrottle"/> in the request's features, where <see cref="AuthEvents.Failed"/> counts a credential
/// that did not validate and throws <see cref="AuthRefusedException"/> when this client has failed too often: the
/// guard then answers 429 with <c>Retry-After</c>. Nothing is looked at before the endpoint validated the credential
/// (wherever it was: a header, the query, HTTP Basic, a JSON body), so a good one is never refused. After: the
/// endpoint's <see cref="AuthNote"/> is audited (<c>authentication_failed</c>; <c>token_used</c> at most once per
/// token per <see cref="AuthThrottleOptions.TokenUseAuditInterval"/>); a refused request is not (a flood of junk
/// writes at most the limit's worth of rows).
/// </summary>
internal sealed class AuthGuard(AuthThrottle throttle, AuthThrottleOptions options, AuditLog auditLog, TimeProvider time)
{
    private readonly ConcurrentDictionary<(TokenKind, long), DateTimeOffset> _lastUseAudited = new();

    public static void Use(WebApplication app, AuthGuard guard) => app.Use(guard.InvokeAsync);

    /// <summary>Sets <c>Retry-After</c> to <paramref name="wait"/> in whole seconds (at least 1).</summary>
    public static void SetRetryAfter(HttpContext http, TimeSpan wait)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
    }

    private async Task InvokeAsync(HttpContext http, RequestDelegate next)
    {
        http.Features.Set(throttle);
        try
        {
            await next(http);
        }
        catch (AuthRefusedException refused) when (!http.Response.HasStarted)
        {
            http.Response.Clear();
            SetRetryAfter(http, refused.RetryAfter);
            await ApiResults.Error(StatusCodes.Status429TooManyRequests, "429 Too Many Requests - too many failed authentications").ExecuteAsync(http);
            return;
        }

        if (AuthEvents.Of(http) is not { } note)
        {
            return;
        }

        if (!note.Succeeded)
        {
            await auditLog.RecordAsync(http, new AuditActor(null, "anonymous"), "authentication_failed", "Token", null, null, $"{Kind(note.Kind)} token {note.TokenPrefix}… on {http.Request.Method} {http.Request.Path}");
            return;
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
        TokenKind.Deploy => "deploy",
        _ => "job",
    };
}

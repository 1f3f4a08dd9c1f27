using Microsoft.AspNetCore.Http;

namespace Relais.Server.Auth;

/// <summary>Where GitLab clients put their tokens. Body tokens are read by the endpoints that take a body.</summary>
internal static class RequestTokens
{
    /// <summary>A personal access token: <c>PRIVATE-TOKEN</c> header, <c>private_token</c> query, or <c>Authorization: Bearer</c>.</summary>
    public static string? Personal(HttpRequest request)
    {
        if (request.Headers["PRIVATE-TOKEN"].ToString() is { Length: > 0 } header)
        {
            return header;
        }

        if (request.Query["private_token"].ToString() is { Length: > 0 } query)
        {
            return query;
        }

        var auth = request.Headers.Authorization.ToString();
        return auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? auth["Bearer ".Length..].Trim() : null;
    }

    /// <summary>A job token: <c>token</c> in the query (or the body, passed in), then the <c>JOB-TOKEN</c> header.</summary>
    public static string? Job(HttpRequest request, string? bodyToken = null)
    {
        if (!string.IsNullOrEmpty(bodyToken))
        {
            return bodyToken;
        }

        if (request.Query["token"].ToString() is { Length: > 0 } query)
        {
            return query;
        }

        return request.Headers["JOB-TOKEN"].ToString() is { Length: > 0 } header ? header : null;
    }

    /// <summary>A job token on the REST routes that take one: the <c>JOB-TOKEN</c> header, else the <c>job_token</c> query parameter.</summary>
    public static string? JobForApi(HttpRequest request) =>
        request.Headers["JOB-TOKEN"].ToString() is { Length: > 0 } header ? header
        : request.Query["job_token"].ToString() is { Length: > 0 } query ? query
        : null;

    /// <summary>A runner token: the body's <c>token</c>, else the <c>RUNNER-TOKEN</c> header.</summary>
    public static string? Runner(HttpRequest request, string? bodyToken) =>
        !string.IsNullOrEmpty(bodyToken) ? bodyToken
        : request.Headers["RUNNER-TOKEN"].ToString() is { Length: > 0 } header ? header : null;
}

using System.Globalization;
using Microsoft.AspNetCore.Http;
using Relais.Server.Auth;
using Relais.Server.Security;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>What a call may do to a project: read it (public, or the caller's own, or an admin) or change it.</summary>
internal enum Access
{
    Read,
    Write,
}

/// <summary>
/// Who is calling (null: anonymous) and what they may see. A private project is invisible (404) to anyone
/// but an administrator and the owner of its namespace; a visible project that the caller may not change is 403.
/// <see cref="Token"/> is the token the call came with (null: no token, e.g. an anonymous call).
/// </summary>
internal sealed record ApiCaller(UserRecord? User, TokenOwnerRecord? Token = null)
{
    public bool IsAdmin => User?.IsAdmin == true;

    public bool CanRead(ProjectRecord project) => project.Visibility == "public" || CanWrite(project);

    public bool CanWrite(ProjectRecord project) =>
        User is { } u && (u.IsAdmin || project.Namespace == u.Username);

    /// <summary>
    /// Authenticates by <c>PRIVATE-TOKEN</c>, <c>private_token</c> or Bearer: a token that matches no live token (unknown,
    /// revoked or expired: one answer for all) is 401; a live one without a scope for <paramref name="need"/> is 403 insufficient_scope.
    /// </summary>
    public static async Task<(ApiCaller? Caller, IResult? Denied)> FromAsync(HttpRequest request, IIdentityStore store, DateTimeOffset now, TokenNeed need)
    {
        if (RequestTokens.Personal(request) is not { } token)
        {
            return (new ApiCaller((UserRecord?)null), null);
        }

        if (await store.FindTokenAsync(Tokens.Hash(token), now, request.HttpContext.RequestAborted) is not { } found)
        {
            AuthEvents.Failed(request.HttpContext, TokenKind.Personal, token);
            return (null, ApiJson.Error(StatusCodes.Status401Unauthorized, "401 Unauthorized"));
        }

        AuthEvents.Succeeded(request.HttpContext, TokenKind.Personal, found.Id, found.Username, token);
        return TokenScopes.Allows(found.ScopeList, need) ? (new ApiCaller(found.User, found), null) : (null, InsufficientScope(request.HttpContext, need));
    }

    /// <summary>GitLab's (and RFC 6750's) answer to a token whose scopes do not cover the request: 403 with the scopes that would.</summary>
    public static IResult InsufficientScope(HttpContext http, TokenNeed need)
    {
        var wanted = string.Join(' ', TokenScopes.Satisfying(need));
        http.Response.Headers.WWWAuthenticate =
            $"Bearer realm=\"Relais\", error=\"insufficient_scope\", error_description=\"The request requires higher privileges than provided by the access token.\", scope=\"{wanted}\"";
        return ApiJson.Ok(
            new Dictionary<string, string>
            {
                ["error"] = "insufficient_scope",
                ["error_description"] = "The request requires higher privileges than provided by the access token.",
                ["scope"] = wanted,
            },
            StatusCodes.Status403Forbidden);
    }

    /// <summary>A project by numeric id or by (URL-encoded) path, if the caller may see it.</summary>
    public static async Task<ProjectRecord?> FindProjectAsync(IProjectStore store, string id, CancellationToken cancel)
    {
        var key = Uri.UnescapeDataString(id);
        return long.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var numeric)
            ? await store.GetProjectAsync(numeric, cancel)
            : await store.FindProjectAsync(key.Trim('/'), cancel);
    }
}

/// <summary>
/// The guard every project route goes through: authenticate, find the project, check access, then run the
/// handler. Anonymous callers may read public projects; anything that changes state needs a token (401). A token
/// must have a scope for the call: <c>read_api</c> reads (GET/HEAD), <c>api</c> does anything (<see cref="TokenScopes"/>).
/// </summary>
internal sealed class ApiGuard(IIdentityStore identityStore, IProjectStore projectStore, TimeProvider time)
{
    /// <summary>Authenticates, then runs <paramref name="handler"/>; <paramref name="need"/> defaults to what the method needs (GET/HEAD read, others write).</summary>
    public async Task<IResult> UserAsync(HttpContext http, bool required, Func<ApiCaller, Task<IResult>> handler, TokenNeed? need = null)
    {
        var (caller, denied) = await ApiCaller.FromAsync(http.Request, identityStore, time.GetUtcNow(), need ?? TokenScopes.ForApiMethod(http.Request.Method));
        if (denied is not null || caller is null)
        {
            return denied!;
        }

        return required && caller.User is null ? ApiJson.Error(StatusCodes.Status401Unauthorized, "401 Unauthorized") : await handler(caller);
    }

    public Task<IResult> ProjectAsync(HttpContext http, string id, Access access, Func<ApiCaller, ProjectRecord, Task<IResult>> handler) =>
        UserAsync(http, required: access == Access.Write, async caller =>
        {
            var project = await ApiCaller.FindProjectAsync(projectStore, id, http.RequestAborted);
            if (project is null || !caller.CanRead(project))
            {
                return ApiJson.NotFound("Project");
            }

            return access == Access.Write && !caller.CanWrite(project)
                ? ApiJson.Error(StatusCodes.Status403Forbidden, "403 Forbidden")
                : await handler(caller, project);
        });
}

/// <summary>
/// GitLab's offset pagination: <c>page</c> (from 1) and <c>per_page</c> (default 20, at most 100), and its headers.
/// A missing, zero, negative or unreadable value takes the default; a page past the end is empty.
/// </summary>
internal readonly record struct Paging(int Page, int PerPage)
{
    /// <summary>How many items come before this page, computed in 64 bits and capped (<c>page=2147483647</c> must not wrap).</summary>
    public int Offset => (int)Math.Min((Page - 1L) * PerPage, int.MaxValue);

    public static Paging From(HttpRequest request)
    {
        var page = int.TryParse(request.Query["page"], NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p > 0 ? p : 1;
        var per = int.TryParse(request.Query["per_page"], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? Math.Min(n, 100) : 20;
        return new Paging(page, per);
    }

    /// <summary>Writes <c>X-Page</c>, <c>X-Per-Page</c>, <c>X-Total</c>, <c>X-Total-Pages</c>, <c>X-Next-Page</c>, <c>X-Prev-Page</c>.</summary>
    public void WriteHeaders(HttpResponse response, int total)
    {
        var pages = Math.Max(1, (total + PerPage - 1) / PerPage);
        var h = response.Headers;
        h["X-Page"] = Text(Page);
        h["X-Per-Page"] = Text(PerPage);
        h["X-Total"] = Text(total);
        h["X-Total-Pages"] = Text(pages);
        h["X-Next-Page"] = Page < pages ? Text(Page + 1) : "";
        h["X-Prev-Page"] = Page > 1 ? Text(Page - 1) : "";
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A call's parameters: the query, overridden by the body's fields (JSON or form), as GitLab's API merges them.</summary>
internal static class ApiParams
{
    public static async Task<Dictionary<string, string>> ReadAsync(HttpRequest request)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in request.Query)
        {
            fields[key.TrimEnd('[', ']')] = string.Join(',', value.ToArray());
        }

        if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            foreach (var (key, value) in await RunnerApi.BodyFields.ReadAsync(request))
            {
                fields[key] = value;
            }
        }

        return fields;
    }

    /// <summary>GitLab's booleans: true/false, 1/0, yes/no.</summary>
    public static bool? Bool(IReadOnlyDictionary<string, string> fields, string key) =>
        fields.TryGetValue(key, out var v) ? v.ToUpperInvariant() is "TRUE" or "1" or "YES" or "T" : null;
}

using System.Globalization;
using Microsoft.AspNetCore.Http;
using Relais.Server.Auth;
using Relais.Server.Security;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// Who is calling (null: anonymous), with their memberships, and what role they have on a project
/// (<see cref="LevelIn"/>): an administrator is Owner everywhere, a user is Owner of projects in their own namespace,
/// and anyone else has the role their memberships give. A private project is invisible (404) to anyone without a
/// role on it; a public one reads as if the caller were a Reporter. A visible project the caller lacks the role for is 403.
/// <see cref="Token"/> is the token the call came with (null: no token, e.g. an anonymous call). A call with a
/// CI/CD job token (<see cref="Job"/>) acts as the user who caused the job's pipeline, on the routes that take one.
/// </summary>
internal sealed record ApiCaller(UserRecord? User, TokenOwnerRecord? Token = null, Memberships? Members = null)
{
    public bool IsAdmin => User?.IsAdmin == true;

    /// <summary>The running job whose <c>CI_JOB_TOKEN</c> made the call; null for any other caller.</summary>
    public JobRecord? Job { get; init; }

    /// <summary>
    /// The caller's own role on <paramref name="project"/> (not counting what public visibility gives everyone). A job
    /// of a pipeline that no known user caused acts as a Developer of its own project and nothing more.
    /// </summary>
    public AccessLevel LevelIn(ProjectRecord project) =>
        User is not { } u ? (Job?.ProjectId == project.Id ? AccessLevel.Developer : AccessLevel.NoAccess)
        : u.IsAdmin || project.Namespace == u.Username ? AccessLevel.Owner
        : (Members ?? Memberships.None).LevelIn(project);

    /// <summary>The role that counts for a check: the caller's own, or Reporter on a public project when that is more.</summary>
    public AccessLevel EffectiveLevelIn(ProjectRecord project)
    {
        var own = LevelIn(project);
        return project.Visibility == "public" && own < AccessLevel.Reporter ? AccessLevel.Reporter : own;
    }

    /// <summary>
    /// The caller's role in a namespace (a group's full path, or a username): an administrator is Owner everywhere, a
    /// user Owner of their own namespace; else the highest role of the group's or a parent group's membership.
    /// </summary>
    public AccessLevel LevelInNamespace(string fullPath) =>
        User is not { } u ? AccessLevel.NoAccess
        : u.IsAdmin || string.Equals(fullPath, u.Username, StringComparison.Ordinal) ? AccessLevel.Owner
        : (Members ?? Memberships.None).LevelInNamespace(fullPath);

    /// <summary>Whether the group exists for the caller: public, or the caller has a role in it or a parent group.</summary>
    public bool CanSee(GroupRecord group) => group.Visibility == "public" || LevelInNamespace(group.FullPath) >= AccessLevel.Guest;

    /// <summary>Whether the project exists for the caller: public, or the caller has any role on it.</summary>
    public bool CanSee(ProjectRecord project) => EffectiveLevelIn(project) >= AccessLevel.Guest;

    /// <summary>Whether the caller has at least <paramref name="level"/> on <paramref name="project"/>.</summary>
    public bool Has(ProjectRecord project, AccessLevel level) => EffectiveLevelIn(project) >= level;

    /// <summary>Reading code, pipelines and jobs: Reporter (everyone on a public project).</summary>
    public bool CanRead(ProjectRecord project) => Has(project, AccessLevel.Reporter);

    /// <summary>Pushing code and running pipelines: Developer.</summary>
    public bool CanWrite(ProjectRecord project) => Has(project, AccessLevel.Developer);

    /// <summary>
    /// Authenticates by <c>PRIVATE-TOKEN</c>, <c>private_token</c> or Bearer: a token that matches no live token (unknown,
    /// revoked or expired: one answer for all) is 401; a live one without a scope for <paramref name="need"/> is 403 insufficient_scope.
    /// </summary>
    public static async Task<(ApiCaller? Caller, IResult? Denied)> FromAsync(HttpRequest request, IIdentityStore store, IMemberStore members, DateTimeOffset now, TokenNeed need)
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
        if (!TokenScopes.Allows(found.ScopeList, need))
        {
            return (null, InsufficientScope(request.HttpContext, need));
        }

        var (user, refused) = await SudoAsync(request, store, found);
        return refused is not null ? (null, refused) : (await WithMembershipsAsync(user!, found, members, now, request.HttpContext.RequestAborted), null);
    }

    /// <summary>
    /// GitLab's sudo: with a <c>Sudo</c> header or <c>sudo</c> parameter (a username, case-insensitive, or an id) an
    /// administrator's token with the <c>sudo</c> scope acts as that user (403 "Must be admin to use sudo" for anyone
    /// else, 403 insufficient_scope without the scope, 404 for an unknown user). The audit log keeps the real actor
    /// (<see cref="SudoActors"/>). Without either, the token's own user.
    /// </summary>
    private static async Task<(UserRecord? User, IResult? Refused)> SudoAsync(HttpRequest request, IIdentityStore store, TokenOwnerRecord token)
    {
        var who = request.Query["sudo"].ToString() is { Length: > 0 } q ? q : request.Headers["Sudo"].ToString();
        if (who.Length == 0)
        {
            return (token.User, null);
        }

        if (!token.IsAdmin)
        {
            return (null, ApiJson.Error(StatusCodes.Status403Forbidden, "403 Forbidden - Must be admin to use sudo"));
        }

        if (!TokenScopes.Allows(token.ScopeList, TokenNeed.Sudo))
        {
            return (null, InsufficientScope(request.HttpContext, TokenNeed.Sudo));
        }

        var cancel = request.HttpContext.RequestAborted;
        var user = long.TryParse(who, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? await store.GetUserAsync(id, cancel)
            : (await store.ListUsersAsync(new UserFilter(Search: who), cancel)).FirstOrDefault(u => string.Equals(u.Username, who, StringComparison.OrdinalIgnoreCase))?.User;
        if (user is null)
        {
            return (null, ApiJson.Error(StatusCodes.Status404NotFound, $"404 User with ID or username '{who}' Not Found"));
        }

        SudoActors.Set(request.HttpContext, new AuditActor(token.Id, token.Username));
        return (user, null);
    }

    /// <summary>
    /// The caller <paramref name="user"/> with their memberships, read in one query (an administrator's are not read:
    /// they are Owner everywhere). Built once per request, where the request's caller is built.
    /// </summary>
    public static async Task<ApiCaller> WithMembershipsAsync(UserRecord user, TokenOwnerRecord? token, IMemberStore members, DateTimeOffset now, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(members);
        var memberships = user.IsAdmin ? Memberships.None : await members.ReadMembershipsAsync(user.Id, DateOnly.FromDateTime(now.UtcDateTime), cancel);
        return new ApiCaller(user, token, memberships);
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
internal sealed class ApiGuard(IIdentityStore identityStore, IMemberStore memberStore, IProjectStore projectStore, JobTokenCallers jobTokens, TimeProvider time)
{
    /// <summary>Authenticates, then runs <paramref name="handler"/>; <paramref name="need"/> defaults to what the method needs (GET/HEAD read, others write).</summary>
    public async Task<IResult> UserAsync(HttpContext http, bool required, Func<ApiCaller, Task<IResult>> handler, TokenNeed? need = null)
    {
        var (caller, denied) = await ApiCaller.FromAsync(http.Request, identityStore, memberStore, time.GetUtcNow(), need ?? TokenScopes.ForApiMethod(http.Request.Method));
        if (denied is not null || caller is null)
        {
            return denied!;
        }

        return required && caller.User is null ? ApiJson.Error(StatusCodes.Status401Unauthorized, "401 Unauthorized") : await handler(caller);
    }

    /// <summary>
    /// Finds the project, then runs <paramref name="handler"/> when the caller has at least <paramref name="level"/> on
    /// it: 404 when the project does not exist for the caller, 403 when it does but the role is too low, 401 for an
    /// anonymous caller on a route that needs Developer or more.
    /// </summary>
    public Task<IResult> ProjectAsync(HttpContext http, string id, AccessLevel level, Func<ApiCaller, ProjectRecord, Task<IResult>> handler) =>
        UserAsync(http, required: level >= AccessLevel.Developer, async caller =>
        {
            var project = await ApiCaller.FindProjectAsync(projectStore, id, http.RequestAborted);
            if (project is null || !caller.CanSee(project))
            {
                return ApiJson.NotFound("Project");
            }

            return !caller.Has(project, level)
                ? ApiJson.Error(StatusCodes.Status403Forbidden, "403 Forbidden")
                : await handler(caller, project);
        });

    /// <summary>
    /// <see cref="ProjectAsync"/> for the routes GitLab opens to a CI/CD job token (<c>JOB-TOKEN</c> header or
    /// <c>job_token</c> parameter; see <see cref="JobTokenCallers"/>): with one, the caller is the job, acting as the
    /// user who caused its pipeline, and a project other than the job's own must allow the job's project in its job
    /// token allowlist (403 otherwise). Without one, exactly <see cref="ProjectAsync"/>.
    /// </summary>
    public async Task<IResult> JobTokenProjectAsync(HttpContext http, string id, AccessLevel level, Func<ApiCaller, ProjectRecord, Task<IResult>> handler)
    {
        if (RequestTokens.JobForApi(http.Request) is not { } token)
        {
            return await ProjectAsync(http, id, level, handler);
        }

        var (caller, denied) = await jobTokens.AuthenticateAsync(http, token);
        if (caller is null)
        {
            return denied!;
        }

        return await ForJobAsync(http, caller, id, level, handler);
    }

    /// <summary>Runs <paramref name="handler"/> for a job token's <paramref name="caller"/> on the project <paramref name="id"/>: 404 unseen, 403 out of the job token scope or below <paramref name="level"/>.</summary>
    public async Task<IResult> ForJobAsync(HttpContext http, ApiCaller caller, string id, AccessLevel level, Func<ApiCaller, ProjectRecord, Task<IResult>> handler)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var project = await ApiCaller.FindProjectAsync(projectStore, id, http.RequestAborted);
        if (project is null || !caller.CanSee(project))
        {
            return ApiJson.NotFound("Project");
        }

        if (caller.Job is { } job && !await jobTokens.InScopeAsync(project, job, http.RequestAborted))
        {
            return ApiJson.Error(StatusCodes.Status403Forbidden, $"403 Forbidden - this project's CI/CD job token allowlist does not include the project of job {job.Id}");
        }

        return !caller.Has(project, level)
            ? ApiJson.Error(StatusCodes.Status403Forbidden, "403 Forbidden")
            : await handler(caller, project);
    }
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

    /// <summary>
    /// Writes <c>X-Page</c>, <c>X-Per-Page</c>, <c>X-Total</c>, <c>X-Total-Pages</c>, <c>X-Next-Page</c>, <c>X-Prev-Page</c>
    /// and GitLab's <c>Link</c> (RFC 8288: <c>prev</c>, <c>next</c>, <c>first</c>, <c>last</c>), which clients follow to get
    /// every page (python-gitlab's <c>get_all</c>, gitbeaker's <c>maxPages</c>): without it they stop after the first.
    /// </summary>
    public void WriteHeaders(HttpResponse response, int total)
    {
        ArgumentNullException.ThrowIfNull(response);
        var pages = Math.Max(1, (total + PerPage - 1) / PerPage);
        var h = response.Headers;
        h.Link = PageLinks(response.HttpContext.Request, pages);
        h["X-Page"] = Text(Page);
        h["X-Per-Page"] = Text(PerPage);
        h["X-Total"] = Text(total);
        h["X-Total-Pages"] = Text(pages);
        h["X-Next-Page"] = Page < pages ? Text(Page + 1) : "";
        h["X-Prev-Page"] = Page > 1 ? Text(Page - 1) : "";
    }

    /// <summary>The <c>Link</c> header's value: this request's URL with <c>page</c> and <c>per_page</c> set for each relation.</summary>
    private string PageLinks(HttpRequest request, int pages)
    {
        var links = new List<string>();
        if (Page > 1)
        {
            links.Add(Link(request, Math.Min(Page - 1, pages), "prev"));
        }

        if (Page < pages)
        {
            links.Add(Link(request, Page + 1, "next"));
        }

        links.Add(Link(request, 1, "first"));
        links.Add(Link(request, pages, "last"));
        return string.Join(", ", links);
    }

    private string Link(HttpRequest request, int page, string relation)
    {
        var query = request.Query
            .Where(q => q.Key is not ("page" or "per_page"))
            .SelectMany(q => q.Value.Select(v => Uri.EscapeDataString(q.Key) + "=" + Uri.EscapeDataString(v ?? "")))
            .Append("page=" + Text(page))
            .Append("per_page=" + Text(PerPage));
        // The path as the client sent it (a project's path keeps its %2F; routing may have rewritten Request.Path).
        var raw = request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget;
        var path = raw is { Length: > 0 } && raw[0] == '/' ? raw.Split('?')[0] : (request.PathBase + request.Path).ToUriComponent();
        return $"<{request.Scheme}://{request.Host}{path}?{string.Join('&', query)}>; rel=\"{relation}\"";
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

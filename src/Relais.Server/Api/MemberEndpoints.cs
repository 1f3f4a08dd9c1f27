using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Auth;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// Members of projects and groups in GitLab's shapes, the same routes under <c>/projects/:id</c> and
/// <c>/groups/:id</c>: <c>members</c> (direct), <c>members/all</c> (with those inherited from parent groups, the highest
/// role per user), <c>members/:user_id</c>, and add, change and remove (<c>user_id</c>, <c>access_level</c>,
/// <c>expires_at</c>). Anyone who sees the source lists its members; managing them needs Maintainer
/// (<see cref="NamespaceRules.MayChangeMember"/>: only an Owner grants, changes or removes Owner); a member may
/// leave; a group's last Owner stays (403).
/// </summary>
internal sealed class MemberEndpoints(
    ApiGuard guard, GroupEndpoints groups, MemberChanges changes, IMemberStore memberStore, IGroupStore groupStore, IIdentityStore identityStore, string externalUrl)
{
    private static readonly AccessLevel[] Levels = [AccessLevel.Guest, AccessLevel.Reporter, AccessLevel.Developer, AccessLevel.Maintainer, AccessLevel.Owner];

    public void Map(IEndpointRouteBuilder app)
    {
        foreach (var kind in new[] { "projects", "groups" })
        {
            var route = $"/api/v4/{kind}/{{id}}/members";
            app.MapGet(route, (HttpContext http, string id) => SourceAsync(http, kind, id, s => ListAsync(http, s, inherited: false)));
            app.MapGet(route + "/all", (HttpContext http, string id) => SourceAsync(http, kind, id, s => ListAsync(http, s, inherited: true)));
            app.MapGet(route + "/{uid:long}", (HttpContext http, string id, long uid) => SourceAsync(http, kind, id, async s =>
                await memberStore.GetMemberAsync(s.Kind, s.Id, uid, http.RequestAborted) is { } m ? ApiJson.Ok(await ViewAsync(m, http.RequestAborted)) : ApiJson.NotFound("Member")));
            app.MapPost(route, (HttpContext http, string id) => SourceAsync(http, kind, id, s => AddAsync(http, s))).DisableAntiforgery();
            app.MapPut(route + "/{uid:long}", (HttpContext http, string id, long uid) => SourceAsync(http, kind, id, s => UpdateAsync(http, s, uid))).DisableAntiforgery();
            app.MapDelete(route + "/{uid:long}", (HttpContext http, string id, long uid) => SourceAsync(http, kind, id, s => RemoveAsync(http, s, uid)));
        }
    }

    private Task<IResult> SourceAsync(HttpContext http, string kind, string id, Func<MemberTarget, Task<IResult>> handler)
    {
        // Anyone who sees the source gets this far (a member may leave whatever their role); the handlers check the rest.
        var write = !HttpMethods.IsGet(http.Request.Method);
        Task<IResult> Run(MemberTarget source) =>
            write && source.Caller.User is null ? Task.FromResult(ApiJson.Error(StatusCodes.Status401Unauthorized, "401 Unauthorized")) : handler(source);
        return kind == "projects"
            ? guard.ProjectAsync(http, id, AccessLevel.Guest, (c, p) => Run(new MemberTarget(MemberSource.Project, p.Id, p.Path, c, c.LevelIn(p))))
            : groups.GroupAsync(http, id, (c, g) => Run(new MemberTarget(MemberSource.Group, g.Id, g.FullPath, c, c.LevelInNamespace(g.FullPath))));
    }

    private async Task<IResult> ListAsync(HttpContext http, MemberTarget source, bool inherited)
    {
        var members = (await memberStore.ListMembersAsync(source.Kind, source.Id, http.RequestAborted)).ToList();
        if (inherited)
        {
            foreach (var group in await groupStore.ListGroupsAsync(http.RequestAborted))
            {
                // Groups above the source: a project's namespace and its parents; a group's parents.
                var above = source.Path.StartsWith(group.FullPath + "/", StringComparison.Ordinal);
                if (above)
                {
                    members.AddRange(await memberStore.ListMembersAsync(MemberSource.Group, group.Id, http.RequestAborted));
                }
            }

            members = [.. members.GroupBy(m => m.UserId).Select(g => g.MaxBy(m => m.AccessLevel)!).OrderBy(m => m.Username, StringComparer.Ordinal)];
        }

        var query = http.Request.Query["query"].ToString();
        var found = members.Where(m => query.Length == 0 || m.Username.Contains(query, StringComparison.OrdinalIgnoreCase)).ToList();
        var paging = Paging.From(http.Request);
        paging.WriteHeaders(http.Response, found.Count);
        var views = new List<Dictionary<string, object?>>();
        foreach (var m in found.Skip(paging.Offset).Take(paging.PerPage))
        {
            views.Add(await ViewAsync(m, http.RequestAborted));
        }

        return ApiJson.Ok(views);
    }

    private async Task<IResult> AddAsync(HttpContext http, MemberTarget target)
    {
        var f = await ApiParams.ReadAsync(http.Request);
        if (!long.TryParse(f.GetValueOrDefault("user_id"), NumberStyles.None, CultureInfo.InvariantCulture, out var userId))
        {
            return ApiJson.BadRequest("user_id is missing");
        }

        if (ReadLevel(f) is not { } level)
        {
            return ApiJson.BadRequest("access_level does not have a valid value");
        }

        if (ReadExpiry(f, out var expiresAt) is { } badExpiry)
        {
            return badExpiry;
        }

        var (outcome, member) = await changes.AddAsync(http, target, userId, level, expiresAt);
        return outcome == MemberOutcome.Done ? ApiJson.Ok(await ViewAsync(member!, http.RequestAborted), StatusCodes.Status201Created) : Refusal(outcome);
    }

    private async Task<IResult> UpdateAsync(HttpContext http, MemberTarget target, long userId)
    {
        var f = await ApiParams.ReadAsync(http.Request);
        var level = f.ContainsKey("access_level") ? ReadLevel(f) : null;
        if (f.ContainsKey("access_level") && level is null)
        {
            return ApiJson.BadRequest("access_level does not have a valid value");
        }

        if (ReadExpiry(f, out var expiresAt) is { } badExpiry)
        {
            return badExpiry;
        }

        var (outcome, member) = await changes.UpdateAsync(http, target, userId, level, f.ContainsKey("expires_at"), expiresAt);
        return outcome == MemberOutcome.Done ? ApiJson.Ok(await ViewAsync(member!, http.RequestAborted)) : Refusal(outcome);
    }

    private async Task<IResult> RemoveAsync(HttpContext http, MemberTarget target, long userId) =>
        await changes.RemoveAsync(http, target, userId) is var outcome && outcome == MemberOutcome.Done ? Results.NoContent()
        : outcome == MemberOutcome.LastOwner ? ApiJson.Error(StatusCodes.Status403Forbidden, "403 Forbidden - a group's last Owner cannot be removed")
        : Refusal(outcome);

    /// <summary>GitLab's answers for a refused change.</summary>
    private static IResult Refusal(MemberOutcome outcome) => outcome switch
    {
        MemberOutcome.UserNotFound => ApiJson.NotFound("User"),
        MemberOutcome.MemberNotFound => ApiJson.NotFound("Member"),
        MemberOutcome.AlreadyMember => ApiJson.Error(StatusCodes.Status409Conflict, "Member already exists"),
        MemberOutcome.LastOwner => ApiJson.Invalid("access_level", "cannot be changed: the member is the group's last Owner"),
        _ => ApiJson.Error(StatusCodes.Status403Forbidden, "403 Forbidden"),
    };

    /// <summary>GitLab's member: the user's basic fields with the role and its dates.</summary>
    private async Task<Dictionary<string, object?>> ViewAsync(MemberRecord m, CancellationToken cancel)
    {
        var view = await identityStore.GetUserAccountAsync(m.UserId, cancel) is { } account
            ? UserShapes.Basic(account, externalUrl)
            : new Dictionary<string, object?> { ["id"] = m.UserId, ["username"] = m.Username, ["name"] = m.Username, ["state"] = "active" };
        view["access_level"] = m.AccessLevel;
        view["created_at"] = ApiJson.Time(m.CreatedAt);
        view["expires_at"] = m.ExpiresAt;
        view["membership_state"] = "active";
        return view;
    }

    public static AccessLevel? ReadLevel(IReadOnlyDictionary<string, string> f) =>
        int.TryParse(f.GetValueOrDefault("access_level"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && Levels.Contains((AccessLevel)n) ? (AccessLevel)n : null;

    /// <summary>Reads <c>expires_at</c> (<c>yyyy-MM-dd</c>, empty: never); an unreadable one is a 400.</summary>
    public static IResult? ReadExpiry(IReadOnlyDictionary<string, string> f, out string? expiresAt)
    {
        expiresAt = null;
        if (f.GetValueOrDefault("expires_at") is not { Length: > 0 } text)
        {
            return null;
        }

        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return ApiJson.BadRequest("expires_at is invalid");
        }

        expiresAt = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return null;
    }
}

using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Auth;
using Relais.Server.Security;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// GitLab's personal access token API beyond create and revoke (<see cref="UserEndpoints"/>): <c>GET
/// /personal_access_tokens</c> (the caller's own; an administrator sees everyone's and may filter by <c>user_id</c>;
/// <c>revoked</c> and <c>state=active|inactive</c> filter), <c>GET /personal_access_tokens/:id</c> and <c>POST
/// /personal_access_tokens/:id/rotate</c> (<c>expires_at</c>, default a week from today: a new token with the same
/// name and scopes, shown once; the old one is revoked and its web sessions end; <c>self</c>: the token the call came
/// with, which needs <c>api</c> or <c>self_rotate</c>). Another user's token is 404 to
/// anyone but an administrator. Values are never listed. <c>POST /user/personal_access_tokens</c> (<c>name</c>,
/// <c>scopes</c>, <c>expires_at</c>) lets any user make a token for themselves, limited as GitLab limits it to
/// <see cref="TokenScopes.SelfService"/> (<c>k8s_proxy</c>, <c>self_rotate</c>) and by default valid to the end of today; the access
/// tokens page may grant any scope, as GitLab's does.
/// </summary>
internal sealed class PersonalTokenEndpoints(ApiGuard guard, AuditLog auditLog, IIdentityStore identityStore, PersonalTokenIssuer issuer, TimeProvider time)
{
    /// <summary>GitLab's default lifetime of a rotated token when <c>expires_at</c> is not given.</summary>
    private const int RotatedLifetimeDays = 7;

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v4/personal_access_tokens", Task<IResult> (HttpContext http) => guard.UserAsync(http, required: true, c => ListAsync(http, c)));
        app.MapGet("/api/v4/personal_access_tokens/{tid:long}", (HttpContext http, long tid) => guard.UserAsync(http, required: true, async c =>
            await VisibleAsync(http, c, tid) is { } t ? ApiJson.Ok(UserShapes.Token(t, Today)) : ApiJson.NotFound("Personal Access Token")));
        app.MapPost("/api/v4/user/personal_access_tokens", Task<IResult> (HttpContext http) => guard.UserAsync(http, required: true, async c =>
        {
            var f = await ApiParams.ReadAsync(http.Request);
            var request = new TokenRequest(f.GetValueOrDefault("name"), f.GetValueOrDefault("scopes"), f.GetValueOrDefault("expires_at"));
            var endOfToday = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime).AddDays(1); // a token expires at the start of its day
            var issue = await issuer.IssueAsync(http, c.User, c.User!, request, TokenScopes.SelfService, endOfToday);
            return issue.Token is { } created ? ApiJson.Ok(created, StatusCodes.Status201Created) : issue.ApiError();
        })).DisableAntiforgery();
        app.MapPost("/api/v4/personal_access_tokens/self/rotate", Task<IResult> (HttpContext http) => guard.UserAsync(
            http,
            required: true,
            c => c.Token is { } t ? RotateAsync(http, c, t.TokenId) : Task.FromResult(ApiJson.Error(StatusCodes.Status401Unauthorized, "401 Unauthorized")),
            TokenNeed.SelfRotate)).DisableAntiforgery();
        app.MapPost("/api/v4/personal_access_tokens/{tid:long}/rotate", (HttpContext http, long tid) =>
            guard.UserAsync(http, required: true, c => RotateAsync(http, c, tid))).DisableAntiforgery();
    }

    private string Today => TokenGrant.Today(time.GetUtcNow());

    private async Task<TokenDetailRecord?> VisibleAsync(HttpContext http, ApiCaller caller, long tid) =>
        await identityStore.GetPersonalAccessTokenDetailAsync(tid, http.RequestAborted) is { } t && (caller.IsAdmin || t.UserId == caller.User!.Id) ? t : null;

    private async Task<IResult> ListAsync(HttpContext http, ApiCaller caller)
    {
        var paging = Paging.From(http.Request);
        var f = await ApiParams.ReadAsync(http.Request);
        long? owner = caller.User!.Id;
        if (caller.IsAdmin)
        {
            owner = long.TryParse(f.GetValueOrDefault("user_id"), NumberStyles.None, CultureInfo.InvariantCulture, out var uid) ? uid : null;
        }

        var today = Today;
        var revoked = ApiParams.Bool(f, "revoked");
        var state = f.GetValueOrDefault("state");
        var tokens = (await identityStore.ListPersonalAccessTokensAsync(owner, http.RequestAborted))
            .Select(t => UserShapes.Token(t, today))
            .Where(t => revoked is null || (bool)t["revoked"]! == revoked)
            .Where(t => state is not ("active" or "inactive") || (bool)t["active"]! == (state == "active"))
            .ToList();
        paging.WriteHeaders(http.Response, tokens.Count);
        return ApiJson.Ok(tokens.Skip(paging.Offset).Take(paging.PerPage).ToList());
    }

    private async Task<IResult> RotateAsync(HttpContext http, ApiCaller caller, long tid)
    {
        if (await VisibleAsync(http, caller, tid) is not { } old)
        {
            return ApiJson.NotFound("Personal Access Token");
        }

        var f = await ApiParams.ReadAsync(http.Request);
        var now = time.GetUtcNow();
        var expiresAt = DateOnly.FromDateTime(now.UtcDateTime).AddDays(RotatedLifetimeDays);
        if (f.GetValueOrDefault("expires_at") is { Length: > 0 } expiry)
        {
            if (!DateOnly.TryParseExact(expiry, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out expiresAt))
            {
                return ApiJson.BadRequest("expires_at is invalid");
            }

            if (string.CompareOrdinal(new TokenGrant([], expiresAt).StoredExpiry, TokenGrant.Today(now)) <= 0)
            {
                return ApiJson.Invalid("expires_at", "must be in the future");
            }
        }

        var token = Tokens.New(Tokens.PersonalPrefix);
        if (await identityStore.RotatePersonalAccessTokenAsync(tid, Tokens.Hash(token), now, expiresAt, CancellationToken.None) is not { } row)
        {
            return ApiJson.BadRequest("the token is revoked or expired");
        }

        var grant = new TokenGrant(old.ScopeList, expiresAt);
        await auditLog.RecordAsync(http, AuditActor.Of(caller.User), "personal_access_token_rotated", "User", old.UserId, null, $"token {old.Name}: #{old.Id} revoked, #{row.Id} issued");
        return ApiJson.Ok(new PersonalTokenView(row.Id, row.Name, false, ApiJson.Time(row.CreatedAt)!, old.ScopeList, row.UserId, true, grant.StoredExpiry, token));
    }
}

using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Auth;
using Relais.Server.Security;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// Users as an administrator makes them, in GitLab's shapes: <c>POST /users</c> (<c>username</c>, <c>name</c>,
/// <c>email</c>, <c>admin</c>, and an optional <c>password</c>: without one the user signs in with tokens only; the
/// rules are <see cref="UserAdministration"/>'s, shared with the admin users page), <c>PUT /users/:id</c> (<c>name</c>, <c>email</c>,
/// <c>admin</c>, and <c>password</c>: sets it and ends the user's web sessions), <c>POST /users/:id/personal_access_tokens</c> (<c>name</c>, <c>scopes</c>
/// (required, <see cref="TokenScopes.Known"/>), <c>expires_at</c> (a future date); the token is shown once), and
/// <c>DELETE /personal_access_tokens/:id</c> (revoke: the owner or an administrator; its web sessions end),
/// <c>GET</c>/<c>DELETE /personal_access_tokens/self</c> (the token the call came with, any scope). Membership
/// is kept simple: a user owns the projects of their namespace, administrators see everything, others see public
/// projects only. The caller's own web sessions and password: <see cref="OwnAccountEndpoints"/>; listing, blocking
/// and deleting users: <see cref="UserDirectoryEndpoints"/>; listing and rotating tokens: <see cref="PersonalTokenEndpoints"/>.
/// </summary>
internal sealed partial class UserEndpoints(string externalUrl, ApiGuard guard, AuditLog auditLog, IIdentityStore identityStore, PasswordChanges passwords, PersonalTokenIssuer tokens, UserAdministration administration)
{
    public void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v4/users", Task<IResult> (HttpContext http) => AdminAsync(http, c => CreateUserAsync(http, c))).DisableAntiforgery();
        app.MapPut("/api/v4/users/{uid:long}", (HttpContext http, long uid) => AdminAsync(http, c => UpdateUserAsync(http, c, uid))).DisableAntiforgery();
        app.MapPost("/api/v4/users/{uid:long}/personal_access_tokens", (HttpContext http, long uid) =>
            AdminAsync(http, c => CreateTokenAsync(http, c, uid))).DisableAntiforgery();
        app.MapGet("/api/v4/personal_access_tokens/self", Task<IResult> (HttpContext http) => guard.UserAsync(
            http,
            required: true,
            c => Task.FromResult(c.Token is { } t ? ApiJson.Ok(SelfView(t)) : ApiJson.Error(StatusCodes.Status401Unauthorized, "401 Unauthorized")),
            TokenNeed.Self));
        app.MapDelete("/api/v4/personal_access_tokens/self", Task<IResult> (HttpContext http) => guard.UserAsync(
            http,
            required: true,
            c => c.Token is { } t ? RevokeTokenAsync(http, c, t.TokenId) : Task.FromResult(ApiJson.Error(StatusCodes.Status401Unauthorized, "401 Unauthorized")),
            TokenNeed.Self));
        app.MapDelete("/api/v4/personal_access_tokens/{tid:long}", (HttpContext http, long tid) =>
            guard.UserAsync(http, required: true, c => RevokeTokenAsync(http, c, tid)));
    }

    /// <summary>Runs <paramref name="handler"/> for an administrator; 401 without a token, 403 for anyone else.</summary>
    public Task<IResult> AdminAsync(HttpContext http, Func<ApiCaller, Task<IResult>> handler) =>
        guard.UserAsync(http, required: true, c => c.IsAdmin ? handler(c) : Task.FromResult(ApiJson.Error(StatusCodes.Status403Forbidden, "403 Forbidden")));

    private async Task<IResult> CreateUserAsync(HttpContext http, ApiCaller caller)
    {
        var f = await ApiParams.ReadAsync(http.Request);
        if (f.GetValueOrDefault("username") is not { Length: > 0 } username)
        {
            return ApiJson.BadRequest("username is missing");
        }

        var created = await administration.CreateAsync(http, caller.User!, new NewUser(
            username, f.GetValueOrDefault("name"), f.GetValueOrDefault("email"), ApiParams.Bool(f, "admin") == true, f.GetValueOrDefault("password")));
        return created.User is { } user ? await FullAsync(user.Id, StatusCodes.Status201Created)
            : created.Taken ? ApiJson.Error(StatusCodes.Status409Conflict, "Username has already been taken")
            : ApiJson.Invalid(created.Field!, created.Problem!);
    }

    private async Task<IResult> CreateTokenAsync(HttpContext http, ApiCaller caller, long uid)
    {
        if (await identityStore.GetUserAsync(uid, http.RequestAborted) is not { } user)
        {
            return ApiJson.NotFound("User");
        }

        var f = await ApiParams.ReadAsync(http.Request);
        var issue = await tokens.IssueAsync(http, caller.User, user, new TokenRequest(f.GetValueOrDefault("name"), f.GetValueOrDefault("scopes"), f.GetValueOrDefault("expires_at")), TokenScopes.Known);
        return issue.Token is { } created ? ApiJson.Ok(created, StatusCodes.Status201Created) : issue.ApiError();
    }

    /// <summary>GitLab's <c>PUT /users/:id</c>, the part Relais has: <c>name</c>, <c>email</c>, <c>admin</c>, <c>password</c> (at least 8 characters). Other fields are ignored.</summary>
    private async Task<IResult> UpdateUserAsync(HttpContext http, ApiCaller caller, long uid)
    {
        if (await identityStore.GetUserAsync(uid, http.RequestAborted) is not { } user)
        {
            return ApiJson.NotFound("User");
        }

        var f = await ApiParams.ReadAsync(http.Request);
        if (ProfileProblem(f) is { } invalid)
        {
            return invalid;
        }

        if (uid == caller.User!.Id && ApiParams.Bool(f, "admin") == false)
        {
            return ApiJson.Error(StatusCodes.Status403Forbidden, "403 Forbidden - you cannot remove your own administrator rights");
        }

        if (f.TryGetValue("password", out var password))
        {
            if (Passwords.Problem(password) is { } problem)
            {
                return ApiJson.Invalid("password", problem);
            }

            await passwords.ChangeAsync(http, caller.User, user, password, keepSessionId: null, "by an administrator (API); web sessions ended");
        }

        var changes = Profile(f);
        if (changes != new UserChanges())
        {
            await identityStore.UpdateUserAsync(uid, changes, CancellationToken.None);
            var what = string.Join(", ", new[] { changes.Name is null ? null : "name", changes.Email is null ? null : "email", changes.IsAdmin is { } a ? (a ? "made administrator" : "no longer administrator") : null }.OfType<string>());
            await auditLog.RecordAsync(http, AuditActor.Of(caller.User), "user_updated", "User", uid, user.Username, what);
        }

        return await FullAsync(uid, StatusCodes.Status200OK);
    }

    /// <summary>The profile fields of GitLab's create and update calls that Relais keeps: <c>name</c>, <c>email</c>, <c>admin</c>.</summary>
    private static UserChanges Profile(IReadOnlyDictionary<string, string> f) =>
        new(f.GetValueOrDefault("name") is { Length: > 0 } name ? name : null, f.GetValueOrDefault("email") is { Length: > 0 } email ? email : null, ApiParams.Bool(f, "admin"));

    private static IResult? ProfileProblem(IReadOnlyDictionary<string, string> f) =>
        UserAdministration.ProfileProblem(f.GetValueOrDefault("name"), f.GetValueOrDefault("email")) is var (field, problem) ? ApiJson.Invalid(field, problem) : null;

    private async Task<IResult> FullAsync(long uid, int status) =>
        await identityStore.GetUserAccountAsync(uid, CancellationToken.None) is { } account
            ? ApiJson.Ok(UserShapes.Full(account, externalUrl), status)
            : ApiJson.NotFound("User");

    /// <summary>GitLab's <c>DELETE /personal_access_tokens/:id</c>: the owner or an administrator revokes it (204); others get 404.</summary>
    private async Task<IResult> RevokeTokenAsync(HttpContext http, ApiCaller caller, long tid)
    {
        var token = await identityStore.GetPersonalAccessTokenAsync(tid, http.RequestAborted);
        if (token is null || (!caller.IsAdmin && token.UserId != caller.User!.Id))
        {
            return ApiJson.NotFound("Personal Access Token");
        }

        if (!await identityStore.RevokePersonalAccessTokenAsync(tid, CancellationToken.None))
        {
            return ApiJson.BadRequest("the token is already revoked");
        }

        await auditLog.RecordAsync(http, AuditActor.Of(caller.User), "personal_access_token_revoked", "User", token.UserId, null, "token " + token.Name);
        return Results.NoContent();
    }

    /// <summary>GitLab's answer to <c>GET /personal_access_tokens/self</c>: the token the call came with, without its value.</summary>
    private static Dictionary<string, object?> SelfView(TokenOwnerRecord t) => new()
    {
        ["id"] = t.TokenId,
        ["name"] = t.Name,
        ["revoked"] = false,
        ["created_at"] = ApiJson.Time(t.CreatedAt),
        ["scopes"] = t.ScopeList,
        ["user_id"] = t.Id,
        ["last_used_at"] = ApiJson.Time(t.LastUsedAt),
        ["active"] = true,
        ["expires_at"] = t.ExpiresAt,
    };

    /// <summary>Letters, digits, <c>_</c>, <c>-</c> and <c>.</c>, not starting with <c>-</c> or <c>.</c>, at most 255 characters.</summary>
    public static bool IsValidUsername(string username) => UsernameRule().IsMatch(username);

    public static bool IsValidEmail(string email) => EmailRule().IsMatch(email);

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,254}$")]
    private static partial Regex UsernameRule();

    /// <summary>Something@something, without spaces or angle brackets, at most 254 characters.</summary>
    [GeneratedRegex("^[^@\\s<>]{1,64}@[^@\\s<>]{1,189}$")]
    private static partial Regex EmailRule();
}

/// <summary>A personal access token as <c>POST /users/:id/personal_access_tokens</c> answers (the only time its value is shown).</summary>
public sealed record PersonalTokenView(
    long Id, string Name, bool Revoked, string CreatedAt, IReadOnlyList<string> Scopes, long UserId, bool Active, string? ExpiresAt, string Token);

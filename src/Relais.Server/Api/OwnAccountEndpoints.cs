using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Auth;
using Relais.Server.Security;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// Relais's own additions for the caller's account (GitLab has no API for these, hence the <c>relais_</c> names):
/// <c>GET /user/relais_sessions</c> lists the caller's web sessions, <c>DELETE /user/relais_sessions/:id</c> ends one
/// (204; 404 when it is not theirs), and <c>PUT /user/relais_password</c> (<c>current_password</c>, <c>password</c>)
/// changes their password and ends all their web sessions. Reading needs <c>read_user</c>, <c>read_api</c> or <c>api</c>; changing, <c>api</c>.
/// </summary>
internal sealed class OwnAccountEndpoints(ApiGuard guard, IIdentityStore identityStore, SignInPasswordCheck signInPasswords, PasswordChanges passwords, string externalUrl, TimeProvider time)
{
    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v4/user/relais_sessions", Task<IResult> (HttpContext http) => guard.UserAsync(
            http,
            required: true,
            async c => ApiJson.Ok((await identityStore.ListSessionsAsync(c.User!.Id, time.GetUtcNow(), http.RequestAborted)).Select(View).ToList()),
            TokenNeed.ReadUser));
        app.MapDelete("/api/v4/user/relais_sessions/{sid:long}", (HttpContext http, long sid) => guard.UserAsync(http, required: true, async c =>
            await identityStore.DeleteSessionAsync(c.User!.Id, sid, CancellationToken.None) ? Results.NoContent() : ApiJson.NotFound("Session")));
        app.MapPut("/api/v4/user/relais_password", Task<IResult> (HttpContext http) => guard.UserAsync(http, required: true, c => ChangePasswordAsync(http, c)))
            .DisableAntiforgery();
    }

    private async Task<IResult> ChangePasswordAsync(HttpContext http, ApiCaller caller)
    {
        var f = await ApiParams.ReadAsync(http.Request);
        var account = await identityStore.FindSignInAsync(caller.User!.Username, http.RequestAborted);
        if (account is not { PasswordHash: not null })
        {
            return ApiJson.Invalid("password", "cannot be changed here: you have none (an administrator sets it with PUT /users/:id)");
        }

        if (AuthEvents.PasswordLocked(http, account.Username) is not null || signInPasswords.Verify(account, f.GetValueOrDefault("current_password") ?? "") is null)
        {
            AuthEvents.PasswordFailed(http, account.Username); // the sign-in form's rate limit and account lock apply
            return ApiJson.Invalid("current_password", "is invalid");
        }

        var password = f.GetValueOrDefault("password");
        if (Passwords.Problem(password) is { } problem)
        {
            return ApiJson.Invalid("password", problem);
        }

        await passwords.ChangeAsync(http, caller.User, caller.User!, password!, keepSessionId: null, "own password (API); web sessions ended");
        return ApiJson.Ok(ApiViews.User(caller.User!, externalUrl));
    }

    private static SessionView View(WebSessionRecord s) => new(
        s.Id, ApiJson.Time(s.CreatedAt), ApiJson.Time(s.LastUsedAt), ApiJson.Time(s.ExpiresAt), s.IpAddress, s.UserAgent,
        s.PersonalAccessTokenId is null ? "password" : "personal_access_token", s.PersonalAccessTokenId);
}

/// <summary>A web session as <c>GET /user/relais_sessions</c> lists it.</summary>
public sealed record SessionView(
    long Id, string? CreatedAt, string? LastUsedAt, string? ExpiresAt, string? IpAddress, string? UserAgent, string SignedInWith, long? PersonalAccessTokenId);

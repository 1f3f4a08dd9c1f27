using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Auth;
using Relais.Server.Security;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// Users in GitLab's shapes (<see cref="UserShapes"/>): <c>GET /user</c> (the caller, full shape), <c>GET /users</c>
/// (<c>username</c>, <c>search</c>, <c>active</c>, <c>blocked</c>, paginated; full shape for an administrator, basic
/// for others), <c>GET /users/:id</c>, and for administrators <c>DELETE /users/:id</c> (204; 409 while projects live
/// in the user's namespace; never oneself) and <c>POST /users/:id/block</c>, <c>/unblock</c> (201 <c>true</c>; a
/// blocked user's tokens, web sessions, password and git access stop working at once). Create and change:
/// <see cref="UserEndpoints"/>. The rules are <see cref="UserAdministration"/>'s, shared with the admin users page.
/// </summary>
internal sealed class UserDirectoryEndpoints(string externalUrl, ApiGuard guard, UserEndpoints users, UserAdministration administration, IIdentityStore identityStore)
{
    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v4/user", Task<IResult> (HttpContext http) => guard.UserAsync(
            http,
            required: true,
            async c => await identityStore.GetUserAccountAsync(c.User!.Id, http.RequestAborted) is { } me
                ? ApiJson.Ok(UserShapes.Full(me, externalUrl))
                : ApiJson.Error(StatusCodes.Status401Unauthorized, "401 Unauthorized"),
            TokenNeed.ReadUser));
        app.MapGet("/api/v4/users", Task<IResult> (HttpContext http) => guard.UserAsync(http, required: true, c => ListAsync(http, c), TokenNeed.ReadUser));
        app.MapGet("/api/v4/users/{uid:long}", (HttpContext http, long uid) => guard.UserAsync(
            http,
            required: true,
            async c => await identityStore.GetUserAccountAsync(uid, http.RequestAborted) is { } user ? ApiJson.Ok(Shape(c, user)) : ApiJson.NotFound("User"),
            TokenNeed.ReadUser));
        app.MapDelete("/api/v4/users/{uid:long}", (HttpContext http, long uid) => users.AdminAsync(http, c => DeleteAsync(http, c, uid)));
        app.MapPost("/api/v4/users/{uid:long}/block", (HttpContext http, long uid) => users.AdminAsync(http, c => SetBlockedAsync(http, c, uid, true)))
            .DisableAntiforgery();
        app.MapPost("/api/v4/users/{uid:long}/unblock", (HttpContext http, long uid) => users.AdminAsync(http, c => SetBlockedAsync(http, c, uid, false)))
            .DisableAntiforgery();
    }

    private Dictionary<string, object?> Shape(ApiCaller caller, UserAccountRecord user) =>
        caller.IsAdmin || caller.User!.Id == user.Id ? UserShapes.Full(user, externalUrl) : UserShapes.Basic(user, externalUrl);

    private async Task<IResult> ListAsync(HttpContext http, ApiCaller caller)
    {
        var paging = Paging.From(http.Request);
        var f = await ApiParams.ReadAsync(http.Request);
        var blocked = ApiParams.Bool(f, "blocked") == true ? true : ApiParams.Bool(f, "active") == true ? false : (bool?)null;
        var filter = new UserFilter(f.GetValueOrDefault("username") is { Length: > 0 } u ? u : null, f.GetValueOrDefault("search"), blocked);
        var found = await identityStore.ListUsersAsync(filter, http.RequestAborted);
        paging.WriteHeaders(http.Response, found.Count);
        return ApiJson.Ok(found.Skip(paging.Offset).Take(paging.PerPage).Select(u => Shape(caller, u)).ToList());
    }

    private async Task<IResult> DeleteAsync(HttpContext http, ApiCaller caller, long uid) =>
        await administration.DeleteAsync(http, caller.User!, uid) switch
        {
            UserChangeOutcome.Self => ApiJson.Error(StatusCodes.Status403Forbidden, "403 Forbidden - you cannot delete yourself"),
            UserChangeOutcome.NotFound => ApiJson.NotFound("User"),
            UserChangeOutcome.OwnsProjects => ApiJson.Error(StatusCodes.Status409Conflict, "User owns projects: delete or move them first"),
            _ => Results.NoContent(),
        };

    private async Task<IResult> SetBlockedAsync(HttpContext http, ApiCaller caller, long uid, bool blocked) =>
        await administration.SetBlockedAsync(http, caller.User!, uid, blocked) switch
        {
            UserChangeOutcome.Self => ApiJson.Error(StatusCodes.Status403Forbidden, "403 Forbidden - you cannot block yourself"),
            UserChangeOutcome.NotFound => ApiJson.NotFound("User"),
            _ => ApiJson.Ok(true, StatusCodes.Status201Created),
        };
}

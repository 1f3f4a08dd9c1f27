using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Security;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// Users' SSH keys in GitLab's shapes: <c>GET/POST /user/keys</c>, <c>GET/DELETE /user/keys/:id</c> (the caller's own;
/// another's is 404), <c>GET /users/:id/keys</c> (public keys: anyone), <c>POST /users/:id/keys</c> (administrators),
/// <c>GET /users/:id/keys/:key_id</c> (anyone), <c>DELETE /users/:id/keys/:key_id</c> (administrators), <c>GET /keys/:id</c> (a user key with its user, for any signed-in caller; a deploy key only for administrators)
/// and <c>GET /keys?fingerprint=SHA256:…</c> (administrators: whose key is this). Adding and removing are audited.
/// </summary>
internal sealed class UserKeyEndpoints(string externalUrl, ApiGuard guard, UserEndpoints users, AuditLog auditLog, IIdentityStore identityStore, IKeyStore keyStore, TimeProvider time)
{
    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v4/user/keys", Task<IResult> (HttpContext http) => guard.UserAsync(http, required: true, async c =>
            Paged(http, await keyStore.ListUserKeysAsync(c.User!.Id, http.RequestAborted))));
        app.MapPost("/api/v4/user/keys", Task<IResult> (HttpContext http) => guard.UserAsync(http, required: true, c => AddAsync(http, c, c.User!)))
            .DisableAntiforgery();
        app.MapGet("/api/v4/user/keys/{kid:long}", (HttpContext http, long kid) => guard.UserAsync(http, required: true, async c =>
            await keyStore.GetKeyAsync(kid, http.RequestAborted) is { Kind: SshKeyRecord.UserKind } k && k.UserId == c.User!.Id
                ? ApiJson.Ok(KeyViews.Key(k)) : ApiJson.NotFound("Key")));
        app.MapDelete("/api/v4/user/keys/{kid:long}", (HttpContext http, long kid) => guard.UserAsync(http, required: true, c => DeleteAsync(http, c, c.User!, kid)));
        app.MapGet("/api/v4/users/{uid:long}/keys", (HttpContext http, long uid) => guard.UserAsync(http, required: false, async _ =>
            await identityStore.GetUserAsync(uid, http.RequestAborted) is { } user
                ? Paged(http, await keyStore.ListUserKeysAsync(user.Id, http.RequestAborted)) : ApiJson.NotFound("User")));
        app.MapPost("/api/v4/users/{uid:long}/keys", (HttpContext http, long uid) => users.AdminAsync(http, async c =>
            await identityStore.GetUserAsync(uid, http.RequestAborted) is { } user ? await AddAsync(http, c, user) : ApiJson.NotFound("User")))
            .DisableAntiforgery();
        app.MapGet("/api/v4/users/{uid:long}/keys/{kid:long}", (HttpContext http, long uid, long kid) => guard.UserAsync(http, required: false, async _ =>
            await keyStore.GetKeyAsync(kid, http.RequestAborted) is { Kind: SshKeyRecord.UserKind } k && k.UserId == uid ? ApiJson.Ok(KeyViews.Key(k)) : ApiJson.NotFound("Key")));
        app.MapDelete("/api/v4/users/{uid:long}/keys/{kid:long}", (HttpContext http, long uid, long kid) => users.AdminAsync(http, async c =>
            await identityStore.GetUserAsync(uid, http.RequestAborted) is { } user ? await DeleteAsync(http, c, user, kid) : ApiJson.NotFound("User")));
        app.MapGet("/api/v4/keys/{kid:long}", (HttpContext http, long kid) => guard.UserAsync(http, required: true, async c =>
            await keyStore.GetKeyAsync(kid, http.RequestAborted) is { } k && (k.Kind == SshKeyRecord.UserKind || c.IsAdmin)
                ? ApiJson.Ok(await WithUserAsync(k, http.RequestAborted)) : ApiJson.NotFound("Key")));
        app.MapGet("/api/v4/keys", Task<IResult> (HttpContext http) => users.AdminAsync(http, async _ =>
            http.Request.Query["fingerprint"].ToString() is { Length: > 0 } fingerprint
                ? await keyStore.FindKeyByFingerprintAsync(fingerprint, http.RequestAborted) is { } k ? ApiJson.Ok(await WithUserAsync(k, http.RequestAborted)) : ApiJson.NotFound("Key")
                : ApiJson.BadRequest("fingerprint is missing")));
    }

    private static IResult Paged(HttpContext http, IReadOnlyList<SshKeyRecord> keys)
    {
        var paging = Paging.From(http.Request);
        paging.WriteHeaders(http.Response, keys.Count);
        return ApiJson.Ok(keys.Skip(paging.Offset).Take(paging.PerPage).Select(KeyViews.Key).ToList());
    }

    private async Task<IResult> AddAsync(HttpContext http, ApiCaller caller, UserRecord owner)
    {
        var (key, problem) = KeyInput.Read(await ApiParams.ReadAsync(http.Request), SshKeyRecord.UserKind, owner.Id, time.GetUtcNow());
        if (key is null)
        {
            return problem!;
        }

        if (await keyStore.AddKeyAsync(key, time.GetUtcNow(), CancellationToken.None) is not { } added)
        {
            return KeyInput.Taken();
        }

        await auditLog.RecordAsync(http, AuditActor.Of(caller.User), "ssh_key_added", "User", owner.Id, owner.Username, $"key {added.Id} {added.FingerprintSha256} ({added.Title})");
        return ApiJson.Ok(KeyViews.Key(added), StatusCodes.Status201Created);
    }

    private async Task<IResult> DeleteAsync(HttpContext http, ApiCaller caller, UserRecord owner, long kid)
    {
        var key = await keyStore.GetKeyAsync(kid, http.RequestAborted);
        if (key is null || !await keyStore.DeleteUserKeyAsync(owner.Id, kid, CancellationToken.None))
        {
            return ApiJson.NotFound("Key");
        }

        await auditLog.RecordAsync(http, AuditActor.Of(caller.User), "ssh_key_removed", "User", owner.Id, owner.Username, $"key {kid} {key.FingerprintSha256} ({key.Title})");
        return Results.NoContent();
    }

    private async Task<SshKeyWithUserView> WithUserAsync(SshKeyRecord key, CancellationToken cancel)
    {
        var user = key.UserId is { } uid && await identityStore.GetUserAsync(uid, cancel) is { } u ? ApiViews.User(u, externalUrl) : null;
        var projects = key.Kind == SshKeyRecord.DeployKind ? await keyStore.ListDeployKeyProjectsAsync(key.Id, cancel) : null;
        return KeyViews.WithUser(key, user, projects);
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Auth;
using Relais.Server.Security;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// Deploy keys in GitLab's shapes: <c>GET/POST /projects/:id/deploy_keys</c> (<c>title</c>, <c>key</c>, <c>can_push</c>),
/// <c>GET/PUT/DELETE /projects/:id/deploy_keys/:key_id</c>, <c>POST /projects/:id/deploy_keys/:key_id/enable</c>, and
/// <c>GET /deploy_keys</c> (administrators). All project routes need write access to the project. Posting a key that is
/// already a deploy key the caller can reach (an administrator, or the key is on a project they can change) enables it
/// on the project instead; a key someone else holds is 400 <c>fingerprint_sha256 has already been taken</c>.
/// Deleting disables the key on the project, and deletes it when no project has it any more. Changes are audited.
/// </summary>
internal sealed class DeployKeyEndpoints(ApiGuard guard, UserEndpoints users, AuditLog auditLog, IProjectStore projectStore, IKeyStore keyStore, TimeProvider time)
{
    private const string Route = "/api/v4/projects/{id}/deploy_keys";

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(Route, (HttpContext http, string id) => guard.ProjectAsync(http, id, AccessLevel.Maintainer, async (_, p) =>
        {
            var keys = await keyStore.ListProjectDeployKeysAsync(p.Id, http.RequestAborted);
            var paging = Paging.From(http.Request);
            paging.WriteHeaders(http.Response, keys.Count);
            return ApiJson.Ok(keys.Skip(paging.Offset).Take(paging.PerPage).Select(k => KeyViews.Deploy(k.Key, k.CanPush)).ToList());
        }));
        app.MapGet(Route + "/{kid:long}", (HttpContext http, string id, long kid) => guard.ProjectAsync(http, id, AccessLevel.Maintainer, async (_, p) =>
            await OnProjectAsync(p.Id, kid, http.RequestAborted) is { } k ? ApiJson.Ok(KeyViews.Deploy(k.Key, k.CanPush)) : ApiJson.NotFound("Deploy Key")));
        app.MapPost(Route, (HttpContext http, string id) => guard.ProjectAsync(http, id, AccessLevel.Maintainer, (c, p) => AddAsync(http, c, p))).DisableAntiforgery();
        app.MapPut(Route + "/{kid:long}", (HttpContext http, string id, long kid) => guard.ProjectAsync(http, id, AccessLevel.Maintainer, (c, p) => UpdateAsync(http, c, p, kid)))
            .DisableAntiforgery();
        app.MapDelete(Route + "/{kid:long}", (HttpContext http, string id, long kid) => guard.ProjectAsync(http, id, AccessLevel.Maintainer, async (c, p) =>
        {
            var key = await keyStore.GetKeyAsync(kid, http.RequestAborted);
            if (key is null || !await keyStore.RemoveDeployKeyAsync(p.Id, kid, CancellationToken.None))
            {
                return ApiJson.NotFound("Deploy Key");
            }

            await AuditAsync(http, c, p, "deploy_key_removed", key, null);
            return Results.NoContent();
        }));
        app.MapPost(Route + "/{kid:long}/enable", (HttpContext http, string id, long kid) => guard.ProjectAsync(http, id, AccessLevel.Maintainer, async (c, p) =>
        {
            if (await keyStore.GetKeyAsync(kid, http.RequestAborted) is not { Kind: SshKeyRecord.DeployKind } key || !await ReachableAsync(c, key, http.RequestAborted))
            {
                return ApiJson.NotFound("Deploy Key");
            }

            return await EnableAsync(http, c, p, key, canPush: false);
        })).DisableAntiforgery();
        app.MapGet("/api/v4/deploy_keys", Task<IResult> (HttpContext http) => users.AdminAsync(http, _ => ListAllAsync(http)));
    }

    private async Task<IResult> AddAsync(HttpContext http, ApiCaller caller, ProjectRecord project)
    {
        var f = await ApiParams.ReadAsync(http.Request);
        var (key, problem) = KeyInput.Read(f, SshKeyRecord.DeployKind, caller.User!.Id, time.GetUtcNow());
        if (key is null)
        {
            return problem!;
        }

        var canPush = ApiParams.Bool(f, "can_push") ?? false;
        if (await keyStore.AddKeyAsync(key, time.GetUtcNow(), CancellationToken.None) is { } added)
        {
            await keyStore.EnableDeployKeyAsync(project.Id, added.Id, canPush, time.GetUtcNow(), CancellationToken.None);
            await AuditAsync(http, caller, project, "deploy_key_added", added, canPush);
            return ApiJson.Ok(KeyViews.Deploy(added, canPush), StatusCodes.Status201Created);
        }

        // The key exists: already on this project (answered as it is), another project's that the caller can reach (enabled here), or not theirs.
        var existing = await keyStore.FindKeyByFingerprintAsync(key.FingerprintSha256, http.RequestAborted);
        if (existing is { Kind: SshKeyRecord.DeployKind } && await OnProjectAsync(project.Id, existing.Id, http.RequestAborted) is { } here)
        {
            return ApiJson.Ok(KeyViews.Deploy(here.Key, here.CanPush), StatusCodes.Status201Created);
        }

        return existing is { Kind: SshKeyRecord.DeployKind } && await ReachableAsync(caller, existing, http.RequestAborted)
            ? await EnableAsync(http, caller, project, existing, canPush)
            : KeyInput.Taken();
    }

    private async Task<IResult> EnableAsync(HttpContext http, ApiCaller caller, ProjectRecord project, SshKeyRecord key, bool canPush)
    {
        if (await keyStore.EnableDeployKeyAsync(project.Id, key.Id, canPush, time.GetUtcNow(), CancellationToken.None))
        {
            await AuditAsync(http, caller, project, "deploy_key_enabled", key, canPush);
        }

        var now = await OnProjectAsync(project.Id, key.Id, http.RequestAborted);
        return ApiJson.Ok(KeyViews.Deploy(key, now?.CanPush ?? canPush), StatusCodes.Status201Created);
    }

    private async Task<IResult> UpdateAsync(HttpContext http, ApiCaller caller, ProjectRecord project, long kid)
    {
        var f = await ApiParams.ReadAsync(http.Request);
        var title = f.GetValueOrDefault("title") is { Length: > 0 } t ? (t.Length > 255 ? t[..255] : t) : null;
        if (!await keyStore.UpdateProjectDeployKeyAsync(project.Id, kid, title, ApiParams.Bool(f, "can_push"), CancellationToken.None)
            || await OnProjectAsync(project.Id, kid, http.RequestAborted) is not { } updated)
        {
            return ApiJson.NotFound("Deploy Key");
        }

        await AuditAsync(http, caller, project, "deploy_key_updated", updated.Key, updated.CanPush);
        return ApiJson.Ok(KeyViews.Deploy(updated.Key, updated.CanPush));
    }

    private async Task<IResult> ListAllAsync(HttpContext http)
    {
        var keys = await keyStore.ListDeployKeysAsync(http.RequestAborted);
        var links = (await keyStore.ListDeployKeyProjectsAsync(null, http.RequestAborted)).ToLookup(l => l.DeployKeyId);
        var projects = new Dictionary<long, ProjectRecord?>();
        foreach (var projectId in links.SelectMany(l => l).Select(l => l.ProjectId).Distinct())
        {
            projects[projectId] = await projectStore.GetProjectAsync(projectId, http.RequestAborted);
        }

        List<KeyProjectView> With(long keyId, bool push) =>
            [.. links[keyId].Where(l => l.CanPush == push).Select(l => projects[l.ProjectId]).OfType<ProjectRecord>().Select(KeyViews.Project)];

        var paging = Paging.From(http.Request);
        paging.WriteHeaders(http.Response, keys.Count);
        return ApiJson.Ok(keys.Skip(paging.Offset).Take(paging.PerPage).Select(k => new InstanceDeployKeyView(
            k.Id, k.Title, k.Key, k.FingerprintMd5, k.FingerprintSha256, ApiJson.Time(k.CreatedAt), ApiJson.Time(k.ExpiresAt), With(k.Id, true), With(k.Id, false))).ToList());
    }

    private async Task<(SshKeyRecord Key, bool CanPush)?> OnProjectAsync(long projectId, long kid, CancellationToken cancel) =>
        (await keyStore.ListProjectDeployKeysAsync(projectId, cancel)).Where(k => k.Key.Id == kid).Select(k => ((SshKeyRecord, bool)?)k).FirstOrDefault();

    /// <summary>Whether the caller may enable this deploy key elsewhere: an administrator, or it is on a project they can change.</summary>
    private async Task<bool> ReachableAsync(ApiCaller caller, SshKeyRecord key, CancellationToken cancel)
    {
        if (caller.IsAdmin)
        {
            return true;
        }

        foreach (var link in await keyStore.ListDeployKeyProjectsAsync(key.Id, cancel))
        {
            if (await projectStore.GetProjectAsync(link.ProjectId, cancel) is { } p && caller.Has(p, AccessLevel.Maintainer))
            {
                return true;
            }
        }

        return false;
    }

    private Task AuditAsync(HttpContext http, ApiCaller caller, ProjectRecord project, string action, SshKeyRecord key, bool? canPush) =>
        auditLog.RecordAsync(
            http, AuditActor.Of(caller.User), action, "Project", project.Id, project.Path,
            $"deploy key {key.Id} {key.FingerprintSha256} ({key.Title})" + (canPush is { } push ? $", can_push: {push}" : ""));
}

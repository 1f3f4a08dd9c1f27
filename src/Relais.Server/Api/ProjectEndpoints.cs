using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Auth;
using Relais.Server.Git;
using Relais.Server.Security;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// <c>GET /version</c>, and projects: list (those the caller sees; <c>membership</c>, <c>owned</c>, <c>visibility</c>,
/// <c>search</c>), get (by id or <c>group%2Fname</c>), create (in the caller's namespace, or with <c>namespace_id</c> in a
/// group where the caller may create projects: <see cref="NamespaceRules.MayCreateProjectIn"/>) and
/// <c>PUT /projects/:id</c> (visibility, shared_runners_enabled, and ours, <c>relais_trusted</c>: administrators only).
/// </summary>
internal sealed class ProjectEndpoints(CloneUrls cloneUrls, ApiGuard guard, AuditLog auditLog, IProjectStore projectStore, NamespaceDirectory directory, ProjectCallerFields callerFields, TimeProvider time)
{
    /// <summary>The container image cleanup policies (<c>container_expiration_policy</c>, issue #15); null leaves them out.</summary>
    public Registry.Cleanup.ExpirationPolicies? ExpirationPolicies { get; init; }

    /// <summary>The container registry (issue #15), for <c>container_registry_image_prefix</c>; null when the server runs none.</summary>
    public Registry.RegistrySetup? ContainerRegistry { get; init; }

    /// <summary>The "prevent outdated deployment jobs" settings (issue #16, <c>ci_forward_deployment_*</c>); null leaves them out.</summary>
    public IDeploymentSettingsStore? DeploymentSettings { get; init; }

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v4/version", () => ApiJson.Ok(new Dictionary<string, string> { ["version"] = "17.0.0-relais", ["revision"] = "relais" }));
        app.MapGet("/api/v4/projects", Task<IResult> (HttpContext http) => guard.UserAsync(http, required: false, c => ListAsync(http, c)));
        app.MapGet("/api/v4/projects/{id}", (HttpContext http, string id) =>
            guard.ProjectAsync(http, id, AccessLevel.Guest, async (c, p) => ApiJson.Ok(await ViewAsync(p, c, http.RequestAborted))));
        app.MapPost("/api/v4/projects", Task<IResult> (HttpContext http) => guard.UserAsync(http, required: true, c => CreateAsync(http, c)))
            .DisableAntiforgery();
        app.MapPut("/api/v4/projects/{id}", (HttpContext http, string id) => guard.ProjectAsync(http, id, AccessLevel.Maintainer, async (caller, p) =>
        {
            var fields = await ApiParams.ReadAsync(http.Request);
            if (await UpdateExpirationPolicyAsync(http, caller, p, fields) is { } refused)
            {
                return refused;
            }

            if (ApiParams.Bool(fields, "relais_trusted") is { } trusted)
            {
                if (!caller.IsAdmin)
                {
                    return ApiJson.Error(StatusCodes.Status403Forbidden, "403 Forbidden - only an administrator may change relais_trusted");
                }

                await projectStore.SetProjectTrustedAsync(p.Id, trusted, CancellationToken.None);
                await auditLog.RecordAsync(http, AuditActor.Of(caller.User), "project_trust_changed", "Project", p.Id, p.Path, $"{p.Trusted} -> {trusted}");
            }

            if (ApiParams.Bool(fields, "shared_runners_enabled") is { } shared)
            {
                await projectStore.SetSharedRunnersEnabledAsync(p.Id, shared, CancellationToken.None);
                await auditLog.RecordAsync(http, AuditActor.Of(caller.User), "project_shared_runners_changed", "Project", p.Id, p.Path, $"{p.SharedRunnersEnabled} -> {shared}");
            }

            await UpdateDeploymentSettingsAsync(http, caller, p, fields);
            if (fields.TryGetValue("visibility", out var visibility))
            {
                if (visibility is not ("public" or "private"))
                {
                    return ApiJson.BadRequest("visibility does not have a valid value");
                }

                await projectStore.SetProjectVisibilityAsync(p.Id, visibility, CancellationToken.None);
                await auditLog.RecordAsync(http, AuditActor.Of(caller.User), "project_visibility_changed", "Project", p.Id, p.Path, $"{p.Visibility} -> {visibility}");
            }

            return ApiJson.Ok(await ViewAsync((await projectStore.GetProjectAsync(p.Id, http.RequestAborted))!, caller, http.RequestAborted));
        })).DisableAntiforgery();
    }

    private async Task<IResult> ListAsync(HttpContext http, ApiCaller caller)
    {
        var paging = Paging.From(http.Request);
        var query = http.Request.Query;
        var flags = query.ToDictionary(q => q.Key, q => q.Value.ToString());
        var owned = ApiParams.Bool(flags, "owned") == true;
        var membership = ApiParams.Bool(flags, "membership") == true;
        var search = query["search"].ToString();
        var visible = (await projectStore.ListProjectsAsync(http.RequestAborted))
            .Where(p => caller.CanSee(p) && (!owned || caller.LevelIn(p) == AccessLevel.Owner) && (!membership || caller.LevelIn(p) >= AccessLevel.Guest))
            .Where(p => search.Length == 0 || p.Path.Contains(search, StringComparison.OrdinalIgnoreCase))
            .Where(p => query["visibility"].ToString() is not { Length: > 0 } v || p.Visibility == v)
            .ToList();
        IEnumerable<ProjectRecord> page;
        if (KeysetPaging.Requested(http.Request))
        {
            if (KeysetPaging.From(http.Request) is not { } keyset)
            {
                return KeysetPaging.NotAvailable();
            }

            page = keyset.Page(http.Response, visible, p => p.Id);
        }
        else
        {
            paging.WriteHeaders(http.Response, visible.Count);
            page = visible.Skip(paging.Offset).Take(paging.PerPage);
        }

        var views = new List<ProjectView>();
        foreach (var p in page)
        {
            views.Add(await ViewAsync(p, caller, http.RequestAborted));
        }

        return ApiJson.Ok(views);
    }

    private async Task<ProjectView> ViewAsync(ProjectRecord p, ApiCaller caller, CancellationToken cancel)
    {
        var view = await callerFields.AddAsync(ApiViews.Project(p, cloneUrls, await directory.OfProjectAsync(p, cancel)), p, caller, cancel);
        if (ContainerRegistry is not null)
        {
            view = view with { ContainerRegistryImagePrefix = ContainerRegistry.ImageOf(p.Path), ContainerRegistryEnabled = true, ContainerRegistryAccessLevel = "enabled" };
        }

        if (DeploymentSettings is not null)
        {
            var settings = await DeploymentSettings.GetAsync(p.Id, cancel);
            view = view with { CiForwardDeploymentEnabled = settings.ForwardDeploymentEnabled, CiForwardDeploymentRollbackAllowed = settings.ForwardDeploymentRollbackAllowed };
        }

        return ExpirationPolicies is null ? view : view with { ContainerExpirationPolicy = await ExpirationPolicies.ViewAsync(p.Id, cancel) };
    }

    /// <summary>Saves <c>ci_forward_deployment_enabled</c> and <c>ci_forward_deployment_rollback_allowed</c> when given.</summary>
    private async Task UpdateDeploymentSettingsAsync(HttpContext http, ApiCaller caller, ProjectRecord p, IReadOnlyDictionary<string, string> fields)
    {
        const string Forward = "ci_forward_deployment_enabled", Rollback = "ci_forward_deployment_rollback_allowed";
        if (DeploymentSettings is null || (!fields.ContainsKey(Forward) && !fields.ContainsKey(Rollback)))
        {
            return;
        }

        var (forward, rollback) = (ApiParams.Bool(fields, Forward), ApiParams.Bool(fields, Rollback));
        var before = await DeploymentSettings.GetAsync(p.Id, http.RequestAborted);
        var after = new DeploymentSettings(forward ?? before.ForwardDeploymentEnabled, rollback ?? before.ForwardDeploymentRollbackAllowed);
        await DeploymentSettings.SaveAsync(p.Id, after, CancellationToken.None);
        await auditLog.RecordAsync(http, AuditActor.Of(caller.User), "project_deployment_settings_changed", "Project", p.Id, p.Path,
            $"forward deployment {before.ForwardDeploymentEnabled} -> {after.ForwardDeploymentEnabled}, rollback allowed {before.ForwardDeploymentRollbackAllowed} -> {after.ForwardDeploymentRollbackAllowed}");
    }

    /// <summary>Applies <c>container_expiration_policy_attributes</c> when given; returns GitLab's 400 when they are not valid (nothing changed).</summary>
    private async Task<IResult?> UpdateExpirationPolicyAsync(HttpContext http, ApiCaller caller, ProjectRecord p, IReadOnlyDictionary<string, string> fields)
    {
        if (ExpirationPolicies is null || Registry.Cleanup.ExpirationPolicyInput.Read(fields) is not { } attributes)
        {
            return null;
        }

        var (saved, invalid, problems) = await ExpirationPolicies.UpdateAsync(p.Id, attributes, http.RequestAborted);
        if (invalid is not null)
        {
            return ApiJson.Ok(new Dictionary<string, string> { ["error"] = invalid }, StatusCodes.Status400BadRequest);
        }

        if (problems is not null)
        {
            return ApiJson.Ok(new Dictionary<string, object> { ["message"] = problems }, StatusCodes.Status400BadRequest);
        }

        await auditLog.RecordAsync(http, AuditActor.Of(caller.User), "container_expiration_policy_changed", "Project", p.Id, p.Path,
            $"enabled {saved!.Enabled}, cadence {saved.Cadence}, keep_n {saved.KeepN}, older_than {saved.OlderThan}");
        return null;
    }

    /// <summary>
    /// Where a new project goes: the caller's namespace, or <c>namespace_id</c> (a group's id or a namespace's path),
    /// with the error to answer when the caller may not create projects there (404 when they cannot see it).
    /// </summary>
    private async Task<(string? Namespace, IResult? Denied)> TargetNamespaceAsync(IReadOnlyDictionary<string, string> fields, ApiCaller caller, CancellationToken cancel)
    {
        var user = caller.User!;
        if (fields.GetValueOrDefault("namespace_id") is not { Length: > 0 } id || id == user.Username)
        {
            return (user.Username, null);
        }

        if (await directory.FindGroupAsync(id, cancel) is { } group)
        {
            return !caller.CanSee(group) ? (null, ApiJson.NotFound("Namespace"))
                : NamespaceRules.MayCreateProjectIn(caller, group) ? (group.FullPath, null)
                : (null, ApiJson.Error(StatusCodes.Status403Forbidden, "403 Forbidden - you may not create projects in this group"));
        }

        // Another user's namespace: an administrator may create there.
        return caller.IsAdmin && await directory.FindAsync(Uri.UnescapeDataString(id), cancel) is { Kind: "user" } other
            ? (other.FullPath, null)
            : (null, ApiJson.NotFound("Namespace"));
    }

    private async Task<IResult> CreateAsync(HttpContext http, ApiCaller caller)
    {
        var fields = await ApiParams.ReadAsync(http.Request);
        var path = fields.GetValueOrDefault("path") is { Length: > 0 } given ? given
            : fields.GetValueOrDefault("name") is { Length: > 0 } name ? ProjectPaths.FromName(name)
            : null;
        if (path is null)
        {
            return ApiJson.BadRequest("name is missing, path is missing");
        }

        if (!ProjectPaths.IsValid(path))
        {
            return ApiJson.Invalid("path", ProjectPaths.Rules);
        }

        var visibility = fields.GetValueOrDefault("visibility") ?? "private";
        if (visibility is not ("public" or "private"))
        {
            return ApiJson.BadRequest("visibility does not have a valid value");
        }

        var (target, denied) = await TargetNamespaceAsync(fields, caller, http.RequestAborted);
        if (denied is not null)
        {
            return denied;
        }

        var branch = fields.GetValueOrDefault("default_branch") is { Length: > 0 } b ? b : "main";
        var project = await projectStore.CreateProjectAsync(target + "/" + path, branch, visibility, time.GetUtcNow(), CancellationToken.None);
        if (project is null)
        {
            return ApiJson.Invalid("path", "has already been taken");
        }

        await auditLog.RecordAsync(http, AuditActor.Of(caller.User), "project_created", "Project", project.Id, project.Path, "visibility " + visibility);
        return ApiJson.Ok(await ViewAsync(project, caller, http.RequestAborted), StatusCodes.Status201Created);
    }
}

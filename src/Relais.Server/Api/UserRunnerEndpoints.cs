using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Auth;
using Relais.Server.RunnerApi;
using Relais.Server.Security;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// <c>POST /user/runners</c>: creates a runner and answers its <c>glrt-</c> authentication token once, as GitLab's
/// "create a runner linked to a user": <c>runner_type</c> <c>instance_type</c> (administrators), <c>group_type</c> with
/// <c>group_id</c> (the group's Owner) or <c>project_type</c> with <c>project_id</c> (a Maintainer of the project).
/// Needs a token with the <c>create_runner</c> (or <c>api</c>) scope.
/// </summary>
internal sealed class UserRunnerEndpoints(ApiGuard guard, AuditLog auditLog, IRunnerStore runnerStore, IProjectStore projectStore, NamespaceDirectory namespaces, TimeProvider time)
{
    public void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/api/v4/user/runners", Task<IResult> (HttpContext http) => guard.UserAsync(http, required: true, c => CreateAsync(http, c), TokenNeed.CreateRunner))
            .DisableAntiforgery();

    private async Task<IResult> CreateAsync(HttpContext http, ApiCaller caller)
    {
        var f = await ApiParams.ReadAsync(http.Request);
        var type = f.GetValueOrDefault("runner_type");
        if (type is null)
        {
            return ApiJson.BadRequest("runner_type is missing");
        }

        if (!RunnerTypes.All.Contains(type))
        {
            return ApiJson.Ok(new Dictionary<string, string> { ["error"] = "runner_type does not have a valid value" }, StatusCodes.Status400BadRequest);
        }

        long? groupId = null;
        long? projectId = null;
        switch (type)
        {
            case RunnerTypes.Instance when !caller.IsAdmin:
                return ApiJson.Error(StatusCodes.Status403Forbidden, "403 Forbidden");
            case RunnerTypes.Group:
                if (f.GetValueOrDefault("group_id") is not { } gid)
                {
                    return ApiJson.BadRequest("group_id is missing");
                }

                if (await namespaces.FindGroupAsync(gid, http.RequestAborted) is not { } group || !caller.CanSee(group))
                {
                    return ApiJson.NotFound("Group");
                }

                if (caller.LevelInNamespace(group.FullPath) < AccessLevel.Owner)
                {
                    return ApiJson.Error(StatusCodes.Status403Forbidden, "403 Forbidden");
                }

                groupId = group.Id;
                break;
            case RunnerTypes.Project:
                if (f.GetValueOrDefault("project_id") is not { } pid)
                {
                    return ApiJson.BadRequest("project_id is missing");
                }

                if (await ApiCaller.FindProjectAsync(projectStore, pid, http.RequestAborted) is not { } project || !caller.CanSee(project))
                {
                    return ApiJson.NotFound("Project");
                }

                if (!caller.Has(project, AccessLevel.Maintainer))
                {
                    return ApiJson.Error(StatusCodes.Status403Forbidden, "403 Forbidden");
                }

                projectId = project.Id;
                break;
        }

        var token = Tokens.New(Tokens.RunnerPrefix);
        var runner = new RunnerRecord
        {
            Description = f.GetValueOrDefault("description", ""),
            Tags = Tags.Join(Tags.Split(f.GetValueOrDefault("tag_list"))),
            RunUntagged = ApiParams.Bool(f, "run_untagged") ?? true,
            Paused = ApiParams.Bool(f, "paused") ?? false,
            Locked = ApiParams.Bool(f, "locked") ?? false,
            AccessLevel = f.GetValueOrDefault("access_level") is "ref_protected" ? "ref_protected" : "not_protected",
            MaximumTimeout = int.TryParse(f.GetValueOrDefault("maximum_timeout"), System.Globalization.CultureInfo.InvariantCulture, out var t) && t >= 600 ? t : null,
            RunnerType = type,
            GroupId = groupId,
            CreatorId = caller.User?.Id,
        };
        runner = await runnerStore.CreateRunnerAsync(Tokens.Hash(token), runner, projectId, time.GetUtcNow(), CancellationToken.None);
        await auditLog.RecordAsync(http, AuditActor.Of(caller.User), "runner_registered", "Runner", runner.Id, runner.Description, $"{type}, tags: {runner.Tags}");
        return ApiResults.Registration(runner.Id, token, StatusCodes.Status201Created);
    }
}

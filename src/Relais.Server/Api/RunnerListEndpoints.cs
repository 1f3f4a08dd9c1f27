using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// The runner lists: <c>GET /runners</c> (the runners the caller may manage: every runner for an administrator, else
/// the group and project runners of their groups and projects), <c>GET /runners/all</c> (administrators; 403
/// otherwise), <c>GET /projects/:id/runners</c> (those that take the project's jobs, or those enabled in it with
/// <c>type=project_type</c>) and <c>GET /groups/:id/runners</c> (the group's and its parents'). Each takes
/// <see cref="RunnerFilter"/>'s filters.
/// </summary>
internal sealed class RunnerListEndpoints(ApiGuard guard, GroupEndpoints groupRoutes, RunnerAccess access, IRunnerStore runnerStore, IGroupStore groupStore, TimeProvider time)
{
    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v4/runners", Task<IResult> (HttpContext http) => guard.UserAsync(http, required: true, async c =>
        {
            var all = await runnerStore.ListRunnersAsync(http.RequestAborted);
            var mine = new List<RunnerRecord>();
            foreach (var runner in all)
            {
                if (c.IsAdmin || (runner.RunnerType != RunnerTypes.Instance && RunnerAccess.CanSee(c, await access.LoadAsync(runner, http.RequestAborted))))
                {
                    mine.Add(runner);
                }
            }

            return Page(http, mine);
        }));
        app.MapGet("/api/v4/runners/all", Task<IResult> (HttpContext http) => guard.UserAsync(http, required: true, async c =>
            c.IsAdmin ? Page(http, await runnerStore.ListRunnersAsync(http.RequestAborted)) : ApiJson.Error(StatusCodes.Status403Forbidden, "403 Forbidden")));
        app.MapGet("/api/v4/projects/{id}/runners", (HttpContext http, string id) => guard.ProjectAsync(http, id, Auth.AccessLevel.Maintainer, async (_, p) =>
        {
            var links = await runnerStore.RunnerProjectLinksAsync(http.RequestAborted);
            var groups = await groupStore.ListGroupsAsync(http.RequestAborted);
            var enabled = links.Where(l => l.ProjectId == p.Id).Select(l => l.RunnerId).ToHashSet();
            var reaching = (await runnerStore.ListRunnersAsync(http.RequestAborted)).Where(r => Queue.RunnerReach.Reaches(
                r, p, enabled.Contains(r.Id) ? [p.Id] : [], groups.FirstOrDefault(g => g.Id == r.GroupId)?.FullPath));
            return Page(http, [.. reaching]);
        }));
        app.MapGet("/api/v4/groups/{id}/runners", (HttpContext http, string id) => groupRoutes.GroupAsync(http, id, async (c, g) =>
        {
            if (c.LevelInNamespace(g.FullPath) < Auth.AccessLevel.Maintainer)
            {
                return ApiJson.Error(StatusCodes.Status403Forbidden, "403 Forbidden");
            }

            var groups = await groupStore.ListGroupsAsync(http.RequestAborted);
            var lineage = groups.Where(x => g.FullPath == x.FullPath || g.FullPath.StartsWith(x.FullPath + "/", StringComparison.Ordinal)).Select(x => x.Id).ToHashSet();
            var runners = await runnerStore.ListRunnersAsync(http.RequestAborted);
            return Page(http, [.. runners.Where(r => r.RunnerType == RunnerTypes.Group && r.GroupId is { } gid && lineage.Contains(gid))]);
        }));
    }

    /// <summary>Filters (400 for a value GitLab refuses), pages and shows <paramref name="runners"/>.</summary>
    private IResult Page(HttpContext http, IReadOnlyList<RunnerRecord> runners)
    {
        var (filter, problem) = RunnerFilter.From(http.Request.Query.ToDictionary(q => q.Key.TrimEnd('[', ']'), q => string.Join(',', q.Value.ToArray()), StringComparer.Ordinal));
        if (filter is null)
        {
            return ApiJson.Ok(new Dictionary<string, string> { ["error"] = problem! }, StatusCodes.Status400BadRequest);
        }

        var now = time.GetUtcNow();
        var matching = runners.Where(r => filter.Matches(r, now)).ToList();
        var paging = Paging.From(http.Request);
        paging.WriteHeaders(http.Response, matching.Count);
        return ApiJson.Ok(matching.Skip(paging.Offset).Take(paging.PerPage).Select(r => ApiViews.Runner(r, now)).ToList());
    }
}

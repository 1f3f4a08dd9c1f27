using Relais.Server.Auth;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// Who may see and change a runner, as GitLab: an administrator any; a group runner a Maintainer of its group (to see)
/// or an Owner (to change); a project runner a Maintainer of a project it is enabled in (to see) or of its owner
/// project, the first it was enabled in (to change). Instance runners are the administrators' alone.
/// </summary>
internal sealed class RunnerAccess(IRunnerStore runners, IProjectStore projects, IGroupStore groups)
{
    /// <summary>A runner with what decides access to it: the projects it is enabled in (owner first) and its group.</summary>
    public sealed record Owned(RunnerRecord Runner, IReadOnlyList<ProjectRecord> Projects, GroupRecord? Group);

    public async Task<Owned?> LoadAsync(long id, CancellationToken cancel) =>
        await runners.GetRunnerAsync(id, cancel) is { } runner ? await LoadAsync(runner, cancel) : null;

    public async Task<Owned> LoadAsync(RunnerRecord runner, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(runner);
        var owned = new List<ProjectRecord>();
        if (runner.RunnerType == RunnerTypes.Project)
        {
            foreach (var projectId in await runners.RunnerProjectsAsync(runner.Id, cancel))
            {
                if (await projects.GetProjectAsync(projectId, cancel) is { } project)
                {
                    owned.Add(project);
                }
            }
        }

        var group = runner.GroupId is { } groupId ? await groups.GetGroupAsync(groupId, cancel) : null;
        return new Owned(runner, owned, group);
    }

    /// <summary>A project by id (for views of a runner's jobs).</summary>
    public Task<ProjectRecord?> ProjectAsync(long id, CancellationToken cancel) => projects.GetProjectAsync(id, cancel);

    public static bool CanSee(ApiCaller caller, Owned r) => caller.IsAdmin || r.Runner.RunnerType switch
    {
        RunnerTypes.Group => r.Group is { } g && caller.LevelInNamespace(g.FullPath) >= AccessLevel.Maintainer,
        RunnerTypes.Project => r.Projects.Any(p => caller.LevelIn(p) >= AccessLevel.Maintainer),
        _ => false,
    };

    public static bool CanChange(ApiCaller caller, Owned r) => caller.IsAdmin || r.Runner.RunnerType switch
    {
        RunnerTypes.Group => r.Group is { } g && caller.LevelInNamespace(g.FullPath) >= AccessLevel.Owner,
        RunnerTypes.Project => r.Projects.Count > 0 && caller.LevelIn(r.Projects[0]) >= AccessLevel.Maintainer,
        _ => false,
    };
}

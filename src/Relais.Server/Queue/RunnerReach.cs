using Relais.Server.Storage;

namespace Relais.Server.Queue;

/// <summary>
/// Which projects' jobs a runner takes, by its type, as GitLab: an instance runner any project that has not turned
/// instance runners off (<see cref="ProjectRecord.SharedRunnersEnabled"/>); a group runner the projects under its group,
/// at any depth; a project runner the projects it is enabled in. The trust rule (<see cref="ProjectTrust"/>) applies on top.
/// </summary>
public static class RunnerReach
{
    /// <summary>
    /// The rule as an SQL condition on <c>jobs.project_id</c> (starting with <c>AND</c>; empty for no runner), with the
    /// parameters <c>@reachRunnerId</c> and <c>@reachGroupId</c>.
    /// </summary>
    public static string Filter(RunnerRecord? runner) => runner?.RunnerType switch
    {
        null => "",
        RunnerTypes.Project => "AND project_id IN (SELECT rp.project_id FROM runner_projects rp WHERE rp.runner_id = @reachRunnerId)",
        RunnerTypes.Group => """
            AND project_id IN (SELECT p.id FROM projects p JOIN groups g ON g.id = @reachGroupId
                WHERE substr(p.path, 1, length(g.full_path) + 1) = g.full_path || '/')
            """,
        _ => "AND project_id IN (SELECT p.id FROM projects p WHERE p.shared_runners_enabled)",
    };

    /// <summary>The same rule in memory, for one project (<paramref name="enabledIn"/>: the projects a project runner is enabled in; <paramref name="groupPath"/>: a group runner's group).</summary>
    public static bool Reaches(RunnerRecord runner, ProjectRecord project, IReadOnlyCollection<long> enabledIn, string? groupPath)
    {
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(enabledIn);
        return runner.RunnerType switch
        {
            RunnerTypes.Project => enabledIn.Contains(project.Id),
            RunnerTypes.Group => groupPath is not null && project.Path.StartsWith(groupPath + "/", StringComparison.Ordinal),
            _ => project.SharedRunnersEnabled,
        };
    }
}

using Relais.Server.Storage;

namespace Relais.Server.Queue;

/// <summary>
/// Whether a project's jobs may run unisolated (on a shell runner, as the runner's OS user). A project is trusted when
/// its namespace is an administrator's (<c>root/app</c>) or an administrator marked it trusted
/// (<see cref="ProjectRecord.Trusted"/>); any other project is untrusted, and its jobs go only to runners that isolate
/// them (<see cref="RunnerIsolation"/>). Asked when a job is handed out, so a change applies to every job not yet started.
/// </summary>
public sealed class ProjectTrust(IProjectStore projects, IIdentityStore identity)
{
    /// <summary>Whether the project is trusted; a project that no longer exists is not.</summary>
    public async Task<bool> IsTrustedAsync(long projectId, CancellationToken cancel = default) =>
        await projects.GetProjectAsync(projectId, cancel) is { } project && await IsTrustedAsync(project, cancel);

    /// <summary>Whether <paramref name="project"/> is trusted: marked so, or in an administrator's namespace.</summary>
    public async Task<bool> IsTrustedAsync(ProjectRecord project, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        return project.Trusted
            || (project.Namespace.Length > 0 && await identity.FindSignInAsync(project.Namespace, cancel) is { IsAdmin: true });
    }
}

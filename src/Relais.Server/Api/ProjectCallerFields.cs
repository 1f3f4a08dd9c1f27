using Relais.Git;
using Relais.Server.Auth;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// The fields of a project's view that depend on the caller or the repository, as GitLab shows them on
/// <c>GET /projects[/:id]</c>: <c>_links</c>, <c>permissions</c> (the caller's direct role as <c>project_access</c>, the
/// role its group gives as <c>group_access</c>; a user's own namespace is Owner), <c>empty_repo</c> and
/// <c>ci_job_token_scope_enabled</c>.
/// </summary>
internal sealed class ProjectCallerFields(ProjectRepository repository, IJobTokenScopeStore jobTokenScopes, string externalUrl)
{
    public async Task<ProjectView> AddAsync(ProjectView view, ProjectRecord project, ApiCaller caller, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(caller);
        var api = $"{externalUrl}/api/v4/projects/{project.Id}";
        var git = repository.Open(project);
        var empty = git is null || (await git.ListAsync(RepositoryRefs.Branches, cancel)).Count == 0;
        return view with
        {
            Links = new Dictionary<string, string>
            {
                ["self"] = api,
                ["issues"] = api + "/issues",
                ["merge_requests"] = api + "/merge_requests",
                ["repo_branches"] = api + "/repository/branches",
                ["labels"] = api + "/labels",
                ["events"] = api + "/events",
                ["members"] = api + "/members",
                ["cluster_agents"] = api + "/cluster_agents",
            },
            Permissions = new Dictionary<string, ProjectAccessView?>
            {
                ["project_access"] = Access(ProjectLevel(project, caller)),
                ["group_access"] = Access(caller.User is null || caller.IsAdmin ? AccessLevel.NoAccess : (caller.Members ?? Memberships.None).LevelInNamespace(project.Namespace)),
            },
            EmptyRepo = empty,
            CiJobTokenScopeEnabled = await jobTokenScopes.IsEnabledAsync(project.Id, cancel),
        };
    }

    private static AccessLevel ProjectLevel(ProjectRecord project, ApiCaller caller) =>
        caller.User is not { } user ? AccessLevel.NoAccess
        : project.Namespace == user.Username ? AccessLevel.Owner
        : (caller.Members ?? Memberships.None).Projects.GetValueOrDefault(project.Id, AccessLevel.NoAccess);

    private static ProjectAccessView? Access(AccessLevel level) => level > AccessLevel.NoAccess ? new ProjectAccessView((int)level) : null;
}

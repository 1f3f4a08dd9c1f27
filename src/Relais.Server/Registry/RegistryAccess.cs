using Relais.Server.Api;
using Relais.Server.Auth;
using Relais.Server.Storage;

namespace Relais.Server.Registry;

/// <summary>
/// Decides which actions of a requested scope a client gets, GitLab's way (what is refused is left out of the token;
/// the registry then denies it):
/// <list type="bullet">
/// <item>a job pulls, pushes and deletes its own project's repositories, and pulls another project's when the user who
/// caused its pipeline may read it and that project's job token allowlist admits the job's project; nothing else;</item>
/// <item>a deploy token acts on its own project only, by its <c>read_registry</c>/<c>write_registry</c> scopes;</item>
/// <item>a user, within the abilities of their credential, pulls with Reporter (anyone on a public project), pushes
/// with Developer, deletes (and <c>*</c>) with Maintainer; an administrator also gets <c>registry:catalog:*</c>;</item>
/// <item>anyone pulls a public project, whatever credential they come with (a job of a project off its allowlist
/// too: the runner logs in with the job token for every image of the registry, and GitLab lets jobs read public
/// projects without the allowlist).</item>
/// </list>
/// A push granted records the repository (<see cref="IContainerRepositoryStore.EnsureAsync"/>), as GitLab does when it issues the token.
/// </summary>
internal sealed class RegistryAccess(RegistryProjects projects, JobTokenCallers jobTokens, IContainerRepositoryStore repositories, TimeProvider time)
{
    public async Task<RegistryScope?> GrantAsync(RegistryCaller client, RegistryScope asked, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(asked);
        if (asked.Type == "registry")
        {
            var catalog = asked.Name == "catalog" && asked.Actions is [RegistryScope.Any];
            return catalog && client.IsUser && client.Caller!.IsAdmin ? asked : null;
        }

        if (asked.Type != "repository" || await projects.ResolveAsync(asked.Name, cancel) is not { } target)
        {
            return null;
        }

        var granted = new List<string>();
        foreach (var action in asked.Actions)
        {
            if (await MayAsync(client, target.Project, action, cancel))
            {
                granted.Add(action);
            }
        }

        if (granted.Count == 0)
        {
            return null;
        }

        if (granted.Contains(RegistryScope.Push))
        {
            await repositories.EnsureAsync(target.Project.Id, target.Rest, time.GetUtcNow(), cancel);
        }

        return asked.WithOnly(granted);
    }

    private async Task<bool> MayAsync(RegistryCaller client, ProjectRecord project, string action, CancellationToken cancel)
    {
        if (action == RegistryScope.Pull && project.Visibility == "public")
        {
            return true; // what anyone may pull, a credential never takes away (a job of another project, a deploy token)
        }

        if (client.Job is { } job)
        {
            var own = project.Id == job.ProjectId;
            return action switch
            {
                RegistryScope.Pull => own || (client.Caller!.CanRead(project) && await jobTokens.InScopeAsync(project, job, cancel)),
                RegistryScope.Push or RegistryScope.Delete => own,
                _ => false,
            };
        }

        if (client.DeployToken is { } deployToken)
        {
            return deployToken.ProjectId == project.Id && action switch
            {
                RegistryScope.Pull => client.Abilities.HasFlag(RegistryAbilities.Pull),
                RegistryScope.Push => client.Abilities.HasFlag(RegistryAbilities.Push),
                _ => false,
            };
        }

        var caller = client.Caller ?? new ApiCaller((UserRecord?)null);
        return action switch
        {
            RegistryScope.Pull => client.Abilities.HasFlag(RegistryAbilities.Pull) && caller.CanRead(project),
            RegistryScope.Push => client.Abilities.HasFlag(RegistryAbilities.Push) && caller.CanWrite(project),
            RegistryScope.Delete or RegistryScope.Any => client.Abilities.HasFlag(RegistryAbilities.Delete) && caller.Has(project, AccessLevel.Maintainer),
            _ => false,
        };
    }
}

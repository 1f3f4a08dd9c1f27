using Relais.Server.Auth;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// Whether the owner of a trigger token or a schedule may still run pipelines in its project: an existing, unblocked
/// user with at least Developer there (<see cref="ApiCaller.Has"/>, the one access rule). GitLab refuses a trigger whose
/// owner lost access and deactivates such a schedule.
/// </summary>
internal sealed class PipelineOwners(IIdentityStore identities, IMemberStore members, TimeProvider time)
{
    /// <summary>The owner when they may run pipelines in <paramref name="project"/>; null otherwise.</summary>
    public async Task<UserRecord?> AllowedAsync(long ownerId, ProjectRecord project, CancellationToken cancel)
    {
        if (await identities.GetUserAccountAsync(ownerId, cancel) is not { Blocked: false } account)
        {
            return null;
        }

        var caller = await ApiCaller.WithMembershipsAsync(account.User, null, members, time.GetUtcNow(), cancel);
        return caller.Has(project, AccessLevel.Developer) ? account.User : null;
    }
}

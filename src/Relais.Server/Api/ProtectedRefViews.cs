using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// Protected branches and tags in GitLab's shapes: each action's role level first (its id is the rule's), then its grants,
/// described by the user's name or as a deploy key; and the check that grants name a user who exists and a deploy key
/// enabled with write access on the project (GitLab answers 422 otherwise).
/// </summary>
internal sealed class ProtectedRefViews(IIdentityStore identityStore, IKeyStore keyStore)
{
    /// <summary>GitLab's words for an access level (also shown by the web UI's settings).</summary>
    public static string LevelName(int level) => level switch
    {
        0 => "No one",
        30 => "Developers + Maintainers",
        60 => "Admins",
        _ => "Maintainers",
    };

    public async Task<ProtectedBranchView> BranchAsync(ProtectedBranchRecord b, CancellationToken cancel) => new(
        b.Id,
        b.Name,
        await EntriesAsync(b.Id, b.PushAccessLevel, b.Grants, ProtectedRefAction.Push, cancel),
        await EntriesAsync(b.Id, b.MergeAccessLevel, b.Grants, ProtectedRefAction.Merge, cancel),
        await EntriesAsync(b.Id, b.UnprotectAccessLevel, b.Grants, ProtectedRefAction.Unprotect, cancel),
        b.AllowForcePush,
        false);

    public async Task<ProtectedTagView> TagAsync(ProtectedTagRecord t, CancellationToken cancel) =>
        new(t.Name, await EntriesAsync(t.Id, t.CreateAccessLevel, t.Grants, ProtectedRefAction.Create, cancel));

    /// <summary>Null when every grant names a known user or a deploy key with write access on <paramref name="projectId"/>; else why not.</summary>
    public async Task<string?> InvalidGrantAsync(long projectId, IEnumerable<ProtectedRefGrant> grants, CancellationToken cancel)
    {
        IReadOnlyList<(SshKeyRecord Key, bool CanPush)>? keys = null;
        foreach (var g in grants)
        {
            if (g.UserId is { } user && await identityStore.GetUserAsync(user, cancel) is null)
            {
                return "user " + user + " does not exist";
            }

            if (g.DeployKeyId is { } key)
            {
                keys ??= await keyStore.ListProjectDeployKeysAsync(projectId, cancel);
                if (!keys.Any(k => k.Key.Id == key && k.CanPush))
                {
                    return "deploy key " + key + " is not enabled with write access for this project";
                }
            }
        }

        return null;
    }

    private async Task<IReadOnlyList<AccessLevelView>> EntriesAsync(long ruleId, int level, IReadOnlyList<ProtectedRefGrant> grants, string action, CancellationToken cancel)
    {
        var entries = new List<AccessLevelView> { new(ruleId, level, LevelName(level), null, null, null) };
        foreach (var g in grants.Where(g => g.Action == action))
        {
            var description = g.UserId is { } user
                ? (await identityStore.GetUserAsync(user, cancel))?.Username ?? "User " + user
                : "Deploy key";
            entries.Add(new(g.Id, 40, description, g.UserId, null, g.DeployKeyId));
        }

        return entries;
    }
}

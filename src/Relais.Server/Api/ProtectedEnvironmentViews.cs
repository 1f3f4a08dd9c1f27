using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// A protected environment as GitLab's API shows it (<c>Entities::ProtectedEnvironment</c>): <c>name</c>,
/// <c>deploy_access_levels</c> (each <c>id</c>, <c>access_level</c>, <c>access_level_description</c> — GitLab's words for
/// the role, or the user's or group's name —, <c>user_id</c>, <c>group_id</c>, <c>group_inheritance_type</c> 0),
/// <c>required_approval_count</c> and <c>approval_rules</c> (always empty: Relais has none).
/// </summary>
internal sealed class ProtectedEnvironmentViews(AggregateStores stores)
{
    public async Task<Dictionary<string, object?>> ViewAsync(ProtectedEnvironmentRecord e, CancellationToken cancel)
    {
        var levels = new List<Dictionary<string, object?>>();
        foreach (var l in e.DeployAccessLevels)
        {
            levels.Add(new Dictionary<string, object?>
            {
                ["id"] = l.Id,
                ["access_level"] = l.AccessLevel,
                ["access_level_description"] = await DescriptionAsync(l, cancel),
                ["user_id"] = l.UserId,
                ["group_id"] = l.GroupId,
                ["group_inheritance_type"] = 0,
            });
        }

        return new Dictionary<string, object?>
        {
            ["name"] = e.Name,
            ["deploy_access_levels"] = levels,
            ["required_approval_count"] = e.RequiredApprovalCount,
            ["approval_rules"] = Array.Empty<object>(),
        };
    }

    private async Task<string> DescriptionAsync(DeployAccessLevelRecord l, CancellationToken cancel) =>
        l.UserId is { } user ? await UserNameAsync(user, cancel)
        : l.GroupId is { } group ? (await stores.Groups.GetGroupAsync(group, cancel))?.Name ?? "Group " + group
        : l.AccessLevel switch
        {
            30 => "Developers + Maintainers",
            60 => "Administrators",
            _ => "Maintainers",
        };

    /// <summary>The user's name (GitLab's words for a user's deploy access), else their username.</summary>
    private async Task<string> UserNameAsync(long id, CancellationToken cancel) =>
        (await stores.Identity.GetUserAccountAsync(id, cancel))?.Name is { Length: > 0 } name ? name
        : (await stores.Identity.GetUserAsync(id, cancel))?.Username ?? "User " + id;
}

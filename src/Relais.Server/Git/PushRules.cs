using Relais.Server.Auth;
using Relais.Server.Pipelines;
using Relais.Server.Storage;

namespace Relais.Server.Git;

/// <summary>
/// Who pushes: their role on the project (<see cref="Api.ApiCaller.LevelIn"/>; <see cref="AccessLevel.NoAccess"/> for a
/// deploy key), whether they are an administrator (GitLab's level 60), their user id, or the deploy key they push with.
/// </summary>
internal sealed record Pusher(AccessLevel Level, bool IsAdmin = false, long? UserId = null, long? DeployKeyId = null)
{
    /// <summary>A write deploy key: no user and no role, allowed where a rule lists its id.</summary>
    public static Pusher DeployKey(long id) => new(AccessLevel.NoAccess, DeployKeyId: id);

    /// <summary>A user (or nobody) by their role on <paramref name="project"/>, as <see cref="Api.ApiCaller"/> gives it.</summary>
    public static Pusher Of(Api.ApiCaller? caller, ProjectRecord project) => caller?.User is { } user
        ? new(caller.LevelIn(project), user.IsAdmin, user.Id)
        : new(AccessLevel.NoAccess);
}

/// <summary>What a ref update does: create the ref, move it (<see cref="IsForced"/>: not a fast-forward), or delete it.</summary>
internal enum RefChangeKind
{
    Create,
    Update,
    Delete,
}

/// <summary>One change to a branch or tag, by its short name.</summary>
internal readonly record struct RefChange(string Name, bool IsTag, RefChangeKind Kind, bool IsForced = false)
{
    public static RefChange Of(RefUpdate update, bool isForced = false) => new(
        update.ShortName,
        update.IsTag,
        update.IsCreate ? RefChangeKind.Create : update.IsDelete ? RefChangeKind.Delete : RefChangeKind.Update,
        isForced);
}

/// <summary>A project's protected refs and default branch: what <see cref="PushRules.Check"/> needs to know about it.</summary>
internal sealed record ProtectedRefSet(string DefaultBranch, IReadOnlyList<ProtectedBranchRecord> Branches, IReadOnlyList<ProtectedTagRecord> Tags)
{
    public static ProtectedRefSet None(string defaultBranch) => new(defaultBranch, [], []);

    /// <summary>The project's rules as stored now.</summary>
    public static async Task<ProtectedRefSet> LoadAsync(IProjectStore store, ProjectRecord project, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(project);
        return new(project.DefaultBranch, await store.ListProtectedBranchesAsync(project.Id, cancel), await store.ListProtectedTagsAsync(project.Id, cancel));
    }

    public IReadOnlyList<ProtectedBranchRecord> BranchRulesFor(string branch) => [.. Branches.Where(b => ProtectedRefs.Matches(b.Name, branch))];

    public IReadOnlyList<ProtectedTagRecord> TagRulesFor(string tag) => [.. Tags.Where(t => ProtectedRefs.Matches(t.Name, tag))];
}

/// <summary>
/// GitLab's rules for changing branches and tags, as a pure function: null when <see cref="Check"/> allows the change,
/// else GitLab's message for the refusal. The same rules serve git pushes (<c>viaWeb: false</c>) and the REST API
/// and web UI (<c>viaWeb: true</c>: deleting a protected branch or tag is allowed there, to maintainers). Branches:
/// the default branch is never deleted; a protected branch is force-pushed only when every matching rule allows it,
/// pushed to by whom a matching rule's push level or grants name, created by those who may push (or, via the API,
/// merge), deleted by maintainers only. Tags: an existing tag is changed by maintainers only; a protected tag is
/// never moved, deleted by maintainers (via the API) and created by whom its create level or grants name.
/// </summary>
internal static class PushRules
{
    public const string DeleteDefaultBranch = "The default branch of a project cannot be deleted.";
    public const string ForcePushProtectedBranch = "You are not allowed to force push code to a protected branch on this project.";
    public const string NonMaintainerDeleteProtectedBranch = "You are not allowed to delete protected branches from this project. Only a project maintainer or owner can delete a protected branch.";
    public const string NonWebDeleteProtectedBranch = "You can only delete protected branches using the web interface.";
    public const string PushProtectedBranch = "You are not allowed to push code to protected branches on this project.";
    public const string CreateProtectedBranch = "You are not allowed to create protected branches on this project.";
    public const string NonWebCreateProtectedBranch = "You can only create protected branches using the web interface and API.";
    public const string ChangeExistingTags = "You are not allowed to change existing tags on this project.";
    public const string UpdateProtectedTag = "Protected tags cannot be updated.";
    public const string NonWebDeleteProtectedTag = "You can only delete protected tags using the web interface.";
    public const string CreateProtectedTag = "You are not allowed to create this tag as it is protected.";

    /// <summary>Null when <paramref name="pusher"/> may make <paramref name="change"/>; otherwise why not, in GitLab's words.</summary>
    public static string? Check(ProtectedRefSet refs, Pusher pusher, RefChange change, bool viaWeb)
    {
        ArgumentNullException.ThrowIfNull(refs);
        ArgumentNullException.ThrowIfNull(pusher);
        return change.IsTag ? CheckTag(refs, pusher, change, viaWeb) : CheckBranch(refs, pusher, change, viaWeb);
    }

    /// <summary>Whether <paramref name="pusher"/> may push commits to <paramref name="branch"/> (true when it is not protected).</summary>
    public static bool CanPush(ProtectedRefSet refs, Pusher pusher, string branch)
    {
        var rules = refs.BranchRulesFor(branch);
        return rules.Count == 0 || rules.Any(r => Allows(r.PushAccessLevel, r.Grants, ProtectedRefAction.Push, pusher));
    }

    /// <summary>Whether <paramref name="pusher"/> may merge into <paramref name="branch"/> (true when it is not protected).</summary>
    public static bool CanMerge(ProtectedRefSet refs, Pusher pusher, string branch)
    {
        var rules = refs.BranchRulesFor(branch);
        return rules.Count == 0 || rules.Any(r => Allows(r.MergeAccessLevel, r.Grants, ProtectedRefAction.Merge, pusher));
    }

    /// <summary>Whether a role level (GitLab's 0, 30, 40, 60) or one of the grants for <paramref name="action"/> lets <paramref name="pusher"/> in.</summary>
    public static bool Allows(int level, IReadOnlyList<ProtectedRefGrant> grants, string action, Pusher pusher)
    {
        ArgumentNullException.ThrowIfNull(grants);
        ArgumentNullException.ThrowIfNull(pusher);
        var byLevel = level switch
        {
            0 => false,
            60 => pusher.IsAdmin,
            _ => pusher.DeployKeyId is null && (int)pusher.Level >= level,
        };
        return byLevel || grants.Any(g => g.Action == action
            && ((g.UserId is { } user && user == pusher.UserId) || (g.DeployKeyId is { } key && key == pusher.DeployKeyId)));
    }

    private static string? CheckBranch(ProtectedRefSet refs, Pusher pusher, RefChange change, bool viaWeb)
    {
        if (change.Kind == RefChangeKind.Delete && change.Name == refs.DefaultBranch)
        {
            return DeleteDefaultBranch;
        }

        var rules = refs.BranchRulesFor(change.Name);
        if (rules.Count == 0)
        {
            return null;
        }

        if (change.IsForced && !rules.All(r => r.AllowForcePush))
        {
            return ForcePushProtectedBranch;
        }

        return change.Kind switch
        {
            RefChangeKind.Create => CanPush(refs, pusher, change.Name) ? null
                : !CanMerge(refs, pusher, change.Name) ? CreateProtectedBranch
                : viaWeb ? null : NonWebCreateProtectedBranch,
            RefChangeKind.Delete => !IsMaintainer(pusher) ? NonMaintainerDeleteProtectedBranch
                : viaWeb ? null : NonWebDeleteProtectedBranch,
            _ => CanPush(refs, pusher, change.Name) ? null : PushProtectedBranch,
        };
    }

    private static string? CheckTag(ProtectedRefSet refs, Pusher pusher, RefChange change, bool viaWeb)
    {
        if (change.Kind != RefChangeKind.Create && !IsMaintainer(pusher))
        {
            return ChangeExistingTags;
        }

        var rules = refs.TagRulesFor(change.Name);
        if (rules.Count == 0)
        {
            return null;
        }

        if (change.Kind == RefChangeKind.Update)
        {
            return UpdateProtectedTag;
        }

        if (change.Kind == RefChangeKind.Delete)
        {
            // GitLab checks a deletion against the create rule too, once the maintainer has passed.
            return !viaWeb ? NonWebDeleteProtectedTag : CanCreateTag(rules, pusher) ? null : CreateProtectedTag;
        }

        return CanCreateTag(rules, pusher) ? null : CreateProtectedTag;
    }

    private static bool CanCreateTag(IReadOnlyList<ProtectedTagRecord> rules, Pusher pusher) =>
        rules.Any(r => Allows(r.CreateAccessLevel, r.Grants, ProtectedRefAction.Create, pusher));

    private static bool IsMaintainer(Pusher pusher) => pusher.DeployKeyId is null && pusher.Level >= AccessLevel.Maintainer;
}

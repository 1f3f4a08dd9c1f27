using Relais.Server.Auth;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// Who may do what to a group and its members, by the caller's role there (<see cref="ApiCaller.LevelInNamespace"/>),
/// with GitLab's defaults: any user creates top-level groups; Maintainers create projects and subgroups in a group
/// (GitLab's default <c>project_creation_level</c> and <c>subgroup_creation_level</c>); Maintainers manage members,
/// but only an Owner grants, changes or removes the Owner role; Owners change and delete the group.
/// </summary>
internal static class NamespaceRules
{
    public static bool MayCreateProjectIn(ApiCaller caller, GroupRecord group) => caller.LevelInNamespace(group.FullPath) >= AccessLevel.Maintainer;

    public static bool MayCreateSubgroupIn(ApiCaller caller, GroupRecord parent) => caller.LevelInNamespace(parent.FullPath) >= AccessLevel.Maintainer;

    /// <summary>Changing a group's settings or deleting it: Owner.</summary>
    public static bool MayAdminister(ApiCaller caller, GroupRecord group) => caller.LevelInNamespace(group.FullPath) >= AccessLevel.Owner;

    /// <summary>
    /// Whether a caller with <paramref name="callerLevel"/> on the source may set a member from <paramref name="from"/>
    /// (NoAccess: a new member) to <paramref name="to"/> (NoAccess: removed): Maintainer at least, and Owner when
    /// either side is Owner.
    /// </summary>
    public static bool MayChangeMember(AccessLevel callerLevel, AccessLevel from, AccessLevel to) =>
        callerLevel >= AccessLevel.Maintainer && (callerLevel >= AccessLevel.Owner || (from < AccessLevel.Owner && to < AccessLevel.Owner));
}

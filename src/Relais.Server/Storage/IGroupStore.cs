namespace Relais.Server.Storage;

/// <summary>Groups (nested namespaces). Every method may be called concurrently; each call is its own transaction.</summary>
public interface IGroupStore
{
    /// <summary>
    /// Creates a group and makes <paramref name="ownerId"/> its Owner, in one transaction; null when the full path is
    /// taken by a group, a project, or (for a top-level group) a username.
    /// </summary>
    Task<GroupRecord?> CreateGroupAsync(GroupRecord group, long ownerId, DateTimeOffset now, CancellationToken cancel = default);

    Task<GroupRecord?> GetGroupAsync(long id, CancellationToken cancel = default);

    /// <summary>A group by full path (case-insensitive, as GitLab's paths).</summary>
    Task<GroupRecord?> FindGroupAsync(string fullPath, CancellationToken cancel = default);

    /// <summary>Every group, by full path.</summary>
    Task<IReadOnlyList<GroupRecord>> ListGroupsAsync(CancellationToken cancel = default);

    /// <summary>Changes a group's name, description and visibility; false when it does not exist.</summary>
    Task<bool> UpdateGroupAsync(long id, string name, string description, string visibility, CancellationToken cancel = default);

    /// <summary>Deletes an empty group (no projects, no subgroups) with its memberships.</summary>
    Task<GroupDeletion> DeleteGroupAsync(long id, CancellationToken cancel = default);
}

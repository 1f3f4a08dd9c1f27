using Relais.Server.Auth;

namespace Relais.Server.Storage;

/// <summary>Project and group memberships. Every method may be called concurrently; each call is its own transaction.</summary>
public interface IMemberStore
{
    /// <summary>
    /// A user's live memberships in one query: projects by id, groups by full path; memberships expiring on or before
    /// <paramref name="today"/> do not count.
    /// </summary>
    Task<Memberships> ReadMembershipsAsync(long userId, DateOnly today, CancellationToken cancel = default);

    /// <summary>The direct members of a project or group, by username (expired ones included, as GitLab lists them).</summary>
    Task<IReadOnlyList<MemberRecord>> ListMembersAsync(MemberSource source, long sourceId, CancellationToken cancel = default);

    Task<MemberRecord?> GetMemberAsync(MemberSource source, long sourceId, long userId, CancellationToken cancel = default);

    /// <summary>Adds a member; null when the user is a member of that source already.</summary>
    Task<MemberRecord?> AddMemberAsync(MemberRecord member, DateTimeOffset now, CancellationToken cancel = default);

    /// <summary>Changes a member's role and expiry; false when there is no such member.</summary>
    Task<bool> UpdateMemberAsync(MemberSource source, long sourceId, long userId, int accessLevel, string? expiresAt, CancellationToken cancel = default);

    /// <summary>Removes a member; false when there was none.</summary>
    Task<bool> RemoveMemberAsync(MemberSource source, long sourceId, long userId, CancellationToken cancel = default);
}

using Microsoft.AspNetCore.Http;
using Relais.Server.Auth;
using Relais.Server.Security;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>A project or group whose members are being changed, the caller, and the caller's own role there.</summary>
internal sealed record MemberTarget(MemberSource Kind, long Id, string Path, ApiCaller Caller, AccessLevel CallerLevel);

/// <summary>How a member change ended.</summary>
internal enum MemberOutcome
{
    Done,
    Forbidden,
    UserNotFound,
    MemberNotFound,
    AlreadyMember,
    LastOwner,
}

/// <summary>
/// Adding, changing and removing members, for the REST API and the web pages alike: the rules of
/// <see cref="NamespaceRules.MayChangeMember"/> (a member may always leave), the store's last-Owner guard, and an
/// audit record for each change.
/// </summary>
internal sealed class MemberChanges(IMemberStore memberStore, IIdentityStore identityStore, AuditLog auditLog, TimeProvider time)
{
    public async Task<(MemberOutcome Outcome, MemberRecord? Member)> AddAsync(HttpContext http, MemberTarget target, long userId, AccessLevel level, string? expiresAt)
    {
        if (!NamespaceRules.MayChangeMember(target.CallerLevel, AccessLevel.NoAccess, level))
        {
            return (MemberOutcome.Forbidden, null);
        }

        if (await identityStore.GetUserAsync(userId, http.RequestAborted) is null)
        {
            return (MemberOutcome.UserNotFound, null);
        }

        var added = await memberStore.AddMemberAsync(
            new MemberRecord { Source = target.Kind, SourceId = target.Id, UserId = userId, AccessLevel = (int)level, ExpiresAt = expiresAt, CreatedBy = target.Caller.User!.Id },
            time.GetUtcNow(),
            CancellationToken.None);
        if (added is null)
        {
            return (MemberOutcome.AlreadyMember, null);
        }

        await AuditAsync(http, target, "member_added", added, level.ToString());
        return (MemberOutcome.Done, added);
    }

    /// <summary>Changes a member's role, and their expiry when <paramref name="setExpiry"/> (to <paramref name="expiresAt"/>, null: never).</summary>
    public async Task<(MemberOutcome Outcome, MemberRecord? Member)> UpdateAsync(
        HttpContext http, MemberTarget target, long userId, AccessLevel? level, bool setExpiry, string? expiresAt)
    {
        if (await memberStore.GetMemberAsync(target.Kind, target.Id, userId, http.RequestAborted) is not { } member)
        {
            return (MemberOutcome.MemberNotFound, null);
        }

        var from = (AccessLevel)member.AccessLevel;
        var to = level ?? from;
        if (!NamespaceRules.MayChangeMember(target.CallerLevel, from, to))
        {
            return (MemberOutcome.Forbidden, member);
        }

        if (!await memberStore.UpdateMemberAsync(target.Kind, target.Id, userId, (int)to, setExpiry ? expiresAt : member.ExpiresAt, CancellationToken.None))
        {
            return (MemberOutcome.LastOwner, member);
        }

        await AuditAsync(http, target, "member_updated", member, $"{from} -> {to}");
        return (MemberOutcome.Done, await memberStore.GetMemberAsync(target.Kind, target.Id, userId, http.RequestAborted));
    }

    public async Task<MemberOutcome> RemoveAsync(HttpContext http, MemberTarget target, long userId)
    {
        if (await memberStore.GetMemberAsync(target.Kind, target.Id, userId, http.RequestAborted) is not { } member)
        {
            return MemberOutcome.MemberNotFound;
        }

        var leaving = target.Caller.User?.Id == userId;
        if (!leaving && !NamespaceRules.MayChangeMember(target.CallerLevel, (AccessLevel)member.AccessLevel, AccessLevel.NoAccess))
        {
            return MemberOutcome.Forbidden;
        }

        if (!await memberStore.RemoveMemberAsync(target.Kind, target.Id, userId, CancellationToken.None))
        {
            return MemberOutcome.LastOwner;
        }

        await AuditAsync(http, target, "member_removed", member, ((AccessLevel)member.AccessLevel).ToString());
        return MemberOutcome.Done;
    }

    private Task AuditAsync(HttpContext http, MemberTarget target, string action, MemberRecord member, string details) =>
        auditLog.RecordAsync(http, AuditActor.Of(target.Caller.User), action, target.Kind.ToString(), target.Id, target.Path, $"{member.Username}: {details}");
}

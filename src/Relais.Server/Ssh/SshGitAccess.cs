using Microsoft.AspNetCore.Http;
using Relais.Server.Api;
using Relais.Server.Git;
using Relais.Server.Storage;

namespace Relais.Server.Ssh;

/// <summary>
/// What an SSH key may do with a repository, for the internal <c>allowed</c> endpoint and again for each smart HTTP
/// request the relay makes with its <see cref="SshGitTokens"/> token. A user key acts as its user, with the same rule as
/// a personal access token (<see cref="GitAccess.DecideForUserAsync"/>: their role, via <see cref="ApiCaller"/>). A deploy
/// key reads the projects it is enabled on (and public ones) and pushes only where it has <c>can_push</c>; it never
/// creates a project. A key that no longer answers anyone (deleted, expired, signing-only, blocked owner) may do nothing.
/// </summary>
internal sealed class SshGitAccess(IKeyStore keys, IIdentityStore identity, IMemberStore members, IProjectStore projects, SshGitTokens tokens, TimeProvider time)
{
    public SshGitTokens Tokens => tokens;

    /// <summary>The decision for a request that came with an SSH relay token (GitAccess's branch for <see cref="SshGitTokens.BasicUser"/>).</summary>
    public async Task<GitAccessDecision> DecideByTokenAsync(GitAccess access, string token, string group, string projectPath, GitOperation operation, CancellationToken cancel)
    {
        if (tokens.Verify(token, projectPath, operation) is not { } keyId)
        {
            return new(StatusCodes.Status401Unauthorized, null);
        }

        return await DecideForKeyAsync(access, keyId, group, projectPath, operation, cancel);
    }

    /// <summary>What key <paramref name="keyId"/> may do: 200 (with the user, or the deploy key as pusher), 404 (no such project for it), 403, or 401 (the key answers no one).</summary>
    public async Task<GitAccessDecision> DecideForKeyAsync(GitAccess access, long keyId, string group, string projectPath, GitOperation operation, CancellationToken cancel)
    {
        if (await FindOwnerAsync(keyId, cancel) is not { } owner)
        {
            return new(StatusCodes.Status401Unauthorized, null);
        }

        if (!owner.IsDeployKey)
        {
            return await identity.GetUserAsync(owner.UserId!.Value, cancel) is { } user
                ? await access.DecideForUserAsync(await ApiCaller.WithMembershipsAsync(user, null, members, time.GetUtcNow(), cancel), group, projectPath, operation, cancel)
                : new(StatusCodes.Status401Unauthorized, null);
        }

        if (await projects.FindProjectAsync(projectPath, cancel) is not { } project)
        {
            return new(StatusCodes.Status404NotFound, null);
        }

        var enabled = (await keys.ListProjectDeployKeysAsync(project.Id, cancel)).FirstOrDefault(k => k.Key.Id == keyId);
        if (enabled.Key is null)
        {
            // Not enabled here: a public project is still readable by anyone, nothing else exists for this key.
            return operation == GitOperation.Read && project.Visibility == "public" ? new(StatusCodes.Status200OK, null, keyId)
                : project.Visibility == "public" ? new(StatusCodes.Status403Forbidden, null)
                : new(StatusCodes.Status404NotFound, null);
        }

        return operation == GitOperation.Write && !enabled.CanPush ? new(StatusCodes.Status403Forbidden, null) : new(StatusCodes.Status200OK, null, keyId);
    }

    /// <summary>Who the key with this id answers for now (the same rules as at sign-in: <see cref="IKeyStore.FindKeyOwnerAsync"/>), or null.</summary>
    public async Task<SshKeyOwner?> FindOwnerAsync(long keyId, CancellationToken cancel) =>
        await keys.GetKeyAsync(keyId, cancel) is { } key ? await keys.FindKeyOwnerAsync(key.FingerprintSha256, time.GetUtcNow(), cancel) : null;
}

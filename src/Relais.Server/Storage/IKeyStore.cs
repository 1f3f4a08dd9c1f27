namespace Relais.Server.Storage;

/// <summary>
/// SSH public keys: users' keys, deploy keys and the projects each deploy key is enabled on. Every method may be
/// called concurrently; each call is its own transaction. Fingerprints are unique across both kinds.
/// </summary>
public interface IKeyStore
{
    /// <summary>Inserts the key (its <see cref="SshKeyRecord.Id"/> is ignored) and returns it with its id; null when its fingerprint is taken.</summary>
    Task<SshKeyRecord?> AddKeyAsync(SshKeyRecord key, DateTimeOffset now, CancellationToken cancel = default);

    Task<SshKeyRecord?> GetKeyAsync(long id, CancellationToken cancel = default);

    Task<SshKeyRecord?> FindKeyByFingerprintAsync(string fingerprintSha256, CancellationToken cancel = default);

    /// <summary>A user's own keys, oldest first.</summary>
    Task<IReadOnlyList<SshKeyRecord>> ListUserKeysAsync(long userId, CancellationToken cancel = default);

    /// <summary>Deletes one of the user's keys; false when the user has no key with that id.</summary>
    Task<bool> DeleteUserKeyAsync(long userId, long id, CancellationToken cancel = default);

    /// <summary>Every deploy key, oldest first.</summary>
    Task<IReadOnlyList<SshKeyRecord>> ListDeployKeysAsync(CancellationToken cancel = default);

    /// <summary>The projects deploy keys are enabled on (<paramref name="deployKeyId"/> null: all of them).</summary>
    Task<IReadOnlyList<DeployKeyProjectRecord>> ListDeployKeyProjectsAsync(long? deployKeyId, CancellationToken cancel = default);

    /// <summary>The deploy keys enabled on a project, with their <c>can_push</c>.</summary>
    Task<IReadOnlyList<(SshKeyRecord Key, bool CanPush)>> ListProjectDeployKeysAsync(long projectId, CancellationToken cancel = default);

    /// <summary>Enables a deploy key on a project; false when it already is.</summary>
    Task<bool> EnableDeployKeyAsync(long projectId, long deployKeyId, bool canPush, DateTimeOffset now, CancellationToken cancel = default);

    /// <summary>Changes a deploy key's title and/or its <c>can_push</c> on the project; false when it is not enabled there.</summary>
    Task<bool> UpdateProjectDeployKeyAsync(long projectId, long deployKeyId, string? title, bool? canPush, CancellationToken cancel = default);

    /// <summary>Disables a deploy key on a project and deletes the key when no project has it any more; false when it was not enabled there.</summary>
    Task<bool> RemoveDeployKeyAsync(long projectId, long deployKeyId, CancellationToken cancel = default);

    /// <summary>
    /// Whom a key authenticates, in one query by fingerprint (the coming <c>AuthorizedKeysCommand</c>): a user key
    /// that may authenticate (<c>auth</c> or <c>auth_and_signing</c>), has not expired and whose user is not blocked, or a deploy key. Null: no one.
    /// </summary>
    Task<SshKeyOwner?> FindKeyOwnerAsync(string fingerprintSha256, DateTimeOffset now, CancellationToken cancel = default);
}

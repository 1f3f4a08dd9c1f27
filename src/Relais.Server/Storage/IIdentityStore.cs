namespace Relais.Server.Storage;

/// <summary>Users, their personal access tokens, passwords and web sessions. Tokens and passwords come in hashed; the store never sees a secret. Every method may be called concurrently; each call is its own transaction.</summary>
public interface IIdentityStore
{
    /// <summary>Creates the root user with this token hash unless a user exists; true when it did.</summary>
    Task<bool> EnsureRootAsync(string tokenHash, DateTimeOffset now, CancellationToken cancel = default);

    /// <summary>A live token (not revoked, not expired at <paramref name="now"/>) with its owner and scopes, or null; records the use at <paramref name="now"/> when the last one is older than ten minutes.</summary>
    Task<TokenOwnerRecord?> FindTokenAsync(string tokenHash, DateTimeOffset now, CancellationToken cancel = default);

    /// <summary>Creates a user without a token; null when the name is taken (by a user, or by a top-level group: one namespace space).</summary>
    Task<UserRecord?> AddUserAsync(string username, bool isAdmin, DateTimeOffset now, CancellationToken cancel = default);

    Task<UserRecord?> GetUserAsync(long id, CancellationToken cancel = default);

    /// <summary>Adds a token with every scope and no expiry (<see cref="TokenGrant.Full"/>).</summary>
    Task<PersonalTokenRecord> AddPersonalAccessTokenAsync(long userId, string name, string tokenHash, DateTimeOffset now, CancellationToken cancel = default);

    Task<PersonalTokenRecord> AddPersonalAccessTokenAsync(long userId, string name, string tokenHash, DateTimeOffset now, TokenGrant grant, CancellationToken cancel = default);

    /// <summary>A token's row by id (its owner, name, whether revoked); its creation time is not read back.</summary>
    Task<PersonalTokenRecord?> GetPersonalAccessTokenAsync(long id, CancellationToken cancel = default);

    /// <summary>Revokes a token (it stops authenticating at once) and ends the web sessions opened with it; false when it was unknown or already revoked.</summary>
    Task<bool> RevokePersonalAccessTokenAsync(long id, CancellationToken cancel = default);

    /// <summary>Sets the user's password hash unless one is set; true when it did (the first start wins).</summary>
    Task<bool> SetPasswordIfUnsetAsync(string username, string passwordHash, CancellationToken cancel = default);

    Task<SignInRecord?> FindSignInAsync(string username, CancellationToken cancel = default);

    /// <summary>Sets a user's password hash and ends their web sessions but <paramref name="keepSessionId"/> (the one that changed it); false for an unknown user.</summary>
    Task<bool> ChangePasswordAsync(long userId, string passwordHash, long? keepSessionId, CancellationToken cancel = default);

    /// <summary>Stores a new session; returns its id.</summary>
    Task<long> CreateSessionAsync(NewWebSession session, CancellationToken cancel = default);

    /// <summary>The session (and its user) of a cookie secret's hash, if it is unexpired and the token it was opened with (if any) still lives.</summary>
    Task<SessionUserRecord?> FindSessionAsync(string tokenHash, DateTimeOffset now, CancellationToken cancel = default);

    /// <summary>Records that the session was used now, from <paramref name="ipAddress"/>.</summary>
    Task TouchSessionAsync(long sessionId, DateTimeOffset now, string? ipAddress, CancellationToken cancel = default);

    /// <summary>A user's live sessions, newest first.</summary>
    Task<IReadOnlyList<WebSessionRecord>> ListSessionsAsync(long userId, DateTimeOffset now, CancellationToken cancel = default);

    /// <summary>Ends one of the user's sessions; false when it is not theirs or does not exist.</summary>
    Task<bool> DeleteSessionAsync(long userId, long sessionId, CancellationToken cancel = default);

    /// <summary>Ends the session of a cookie secret's hash (sign-out).</summary>
    Task DeleteSessionAsync(string tokenHash, CancellationToken cancel = default);

    /// <summary>Users matching <paramref name="filter"/>, newest first.</summary>
    Task<IReadOnlyList<UserAccountRecord>> ListUsersAsync(UserFilter filter, CancellationToken cancel = default);

    /// <summary>A user's whole row (blocked or not), or null.</summary>
    Task<UserAccountRecord?> GetUserAccountAsync(long id, CancellationToken cancel = default);

    /// <summary>Sets the non-null fields of <paramref name="changes"/>; false for an unknown user.</summary>
    Task<bool> UpdateUserAsync(long id, UserChanges changes, CancellationToken cancel = default);

    /// <summary>Blocks (and ends all web sessions of) or unblocks a user; false when unknown or already so.</summary>
    Task<bool> SetBlockedAsync(long id, bool blocked, CancellationToken cancel = default);

    /// <summary>Deletes a user with their tokens, sessions and memberships, unless projects live in their namespace.</summary>
    Task<UserDeletion> DeleteUserAsync(long id, CancellationToken cancel = default);

    /// <summary>Every token (revoked and expired too) of <paramref name="userId"/>, or of everyone when null, oldest first.</summary>
    Task<IReadOnlyList<TokenDetailRecord>> ListPersonalAccessTokensAsync(long? userId, CancellationToken cancel = default);

    Task<TokenDetailRecord?> GetPersonalAccessTokenDetailAsync(long id, CancellationToken cancel = default);

    /// <summary>Revokes a live token (ending its sessions) and adds one with its owner, name and scopes and this hash; null when it is not live.</summary>
    Task<PersonalTokenRecord?> RotatePersonalAccessTokenAsync(long id, string tokenHash, DateTimeOffset now, DateOnly expiresAt, CancellationToken cancel = default);
}

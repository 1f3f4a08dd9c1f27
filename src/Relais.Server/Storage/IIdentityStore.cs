namespace Relais.Server.Storage;

/// <summary>Users, their personal access tokens, passwords and web sessions. Tokens and passwords come in hashed; the store never sees a secret. Every method may be called concurrently; each call is its own transaction.</summary>
public interface IIdentityStore
{
    /// <summary>Creates the root user with this token hash unless a user exists; true when it did.</summary>
    Task<bool> EnsureRootAsync(string tokenHash, DateTimeOffset now, CancellationToken cancel = default);

    Task<UserRecord?> FindUserByTokenAsync(string tokenHash, CancellationToken cancel = default);

    /// <summary>Creates a user without a token; null when the name is taken.</summary>
    Task<UserRecord?> AddUserAsync(string username, bool isAdmin, DateTimeOffset now, CancellationToken cancel = default);

    Task<UserRecord?> GetUserAsync(long id, CancellationToken cancel = default);

    Task<PersonalTokenRecord> AddPersonalAccessTokenAsync(long userId, string name, string tokenHash, DateTimeOffset now, CancellationToken cancel = default);

    /// <summary>A token's row by id (its owner, name, whether revoked); its creation time is not read back.</summary>
    Task<PersonalTokenRecord?> GetPersonalAccessTokenAsync(long id, CancellationToken cancel = default);

    /// <summary>Revokes a token (it stops authenticating at once); false when it was unknown or already revoked.</summary>
    Task<bool> RevokePersonalAccessTokenAsync(long id, CancellationToken cancel = default);

    /// <summary>Sets the user's password hash unless one is set; true when it did (the first start wins).</summary>
    Task<bool> SetPasswordIfUnsetAsync(string username, string passwordHash, CancellationToken cancel = default);

    Task<SignInRecord?> FindSignInAsync(string username, CancellationToken cancel = default);

    Task CreateSessionAsync(string tokenHash, long userId, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancel = default);

    /// <summary>The user of an unexpired session (by its token hash), or null.</summary>
    Task<UserRecord?> FindUserBySessionAsync(string tokenHash, DateTimeOffset now, CancellationToken cancel = default);

    Task DeleteSessionAsync(string tokenHash, CancellationToken cancel = default);
}

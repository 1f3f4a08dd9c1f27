namespace Relais.Server.Storage;

/// <summary>A user's whole row as the users API shows it (never the password hash).</summary>
public sealed record UserAccountRecord
{
    public long Id { get; init; }

    public string Username { get; init; } = "";

    /// <summary>The display name; null until one is set (the API then shows the username).</summary>
    public string? Name { get; init; }

    public string? Email { get; init; }

    public bool IsAdmin { get; init; }

    /// <summary>Blocked by an administrator: their tokens, sessions, password and git access do not work.</summary>
    public bool Blocked { get; init; }

    /// <summary>As the database returns it.</summary>
    public string? CreatedAt { get; init; }

    public UserRecord User => new() { Id = Id, Username = Username, IsAdmin = IsAdmin };
}

/// <summary>Which users <c>GET /users</c> lists: an exact username, a substring of the username, name or email, and the state.</summary>
public sealed record UserFilter(string? Username = null, string? Search = null, bool? Blocked = null);

/// <summary>What <c>PUT /users/:id</c> changes; a null field stays as it is.</summary>
public sealed record UserChanges(string? Name = null, string? Email = null, bool? IsAdmin = null);

/// <summary>What <see cref="IIdentityStore.DeleteUserAsync"/> did.</summary>
public enum UserDeletion
{
    Deleted,
    NotFound,

    /// <summary>Refused: projects live in the user's namespace (delete or move them first).</summary>
    OwnsProjects,
}

/// <summary>A personal access token's row as <c>GET /personal_access_tokens</c> lists it (never its value or hash).</summary>
public sealed record TokenDetailRecord
{
    public long Id { get; init; }

    public long UserId { get; init; }

    public string Name { get; init; } = "";

    public bool Revoked { get; init; }

    /// <summary>As the database returns it.</summary>
    public string? CreatedAt { get; init; }

    /// <summary>Comma-separated scope names, as stored.</summary>
    public string Scopes { get; init; } = "";

    /// <summary><c>yyyy-MM-dd</c>, or null: never.</summary>
    public string? ExpiresAt { get; init; }

    /// <summary>When it last authenticated a request (to <see cref="SqlIdentityStore.TokenUseInterval"/>), as the database returns it; null: never.</summary>
    public string? LastUsedAt { get; init; }

    public IReadOnlyList<string> ScopeList => Scopes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

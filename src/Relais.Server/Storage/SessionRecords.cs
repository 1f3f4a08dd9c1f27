using System.Globalization;

namespace Relais.Server.Storage;

/// <summary>What a new personal access token may do: its scopes (<c>Auth.TokenScopes</c> names) and the day it expires (none: never).</summary>
public sealed record TokenGrant(IReadOnlyList<string> Scopes, DateOnly? ExpiresAt)
{
    /// <summary>Everything, forever: what tokens made before scopes existed have.</summary>
    public static TokenGrant Full { get; } = new(["api"], null);

    /// <summary>The stored form of <see cref="ExpiresAt"/>: <c>yyyy-MM-dd</c>, which compares as text.</summary>
    public string? StoredExpiry => ExpiresAt?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The day <paramref name="now"/> falls on in UTC, stored form: a token whose expiry is this day or before has expired.</summary>
    public static string Today(DateTimeOffset now) => now.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>A live (unrevoked, unexpired) personal access token and its owner, as authentication sees it.</summary>
public sealed record TokenOwnerRecord
{
    public long TokenId { get; init; }

    public long Id { get; init; }

    public string Username { get; init; } = "";

    public bool IsAdmin { get; init; }

    /// <summary>Comma-separated scope names, as stored.</summary>
    public string Scopes { get; init; } = "";

    public string Name { get; init; } = "";

    /// <summary>As the database returns it.</summary>
    public string? CreatedAt { get; init; }

    /// <summary><c>yyyy-MM-dd</c>, or null: never.</summary>
    public string? ExpiresAt { get; init; }

    /// <summary>When it last authenticated a request before this one, as the database returns it; null: never.</summary>
    public string? LastUsedAt { get; init; }

    public UserRecord User => new() { Id = Id, Username = Username, IsAdmin = IsAdmin };

    public IReadOnlyList<string> ScopeList => Scopes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>A web session about to be stored: the hash of its cookie secret, its user, the token it was opened with (if any), and where from.</summary>
public sealed record NewWebSession(string TokenHash, long UserId, long? PersonalAccessTokenId, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, string? IpAddress, string? UserAgent);

/// <summary>A live web session found by its cookie: its id and its user.</summary>
public sealed record SessionUserRecord
{
    public long SessionId { get; init; }

    public long Id { get; init; }

    public string Username { get; init; } = "";

    public bool IsAdmin { get; init; }

    /// <summary>When it was last seen, as the database returns it.</summary>
    public string? LastUsedAt { get; init; }

    public UserRecord User => new() { Id = Id, Username = Username, IsAdmin = IsAdmin };
}

/// <summary>One of a user's web sessions as its list shows it (never its secret). Times as the database returns them.</summary>
public sealed record WebSessionRecord
{
    public long Id { get; init; }

    public long UserId { get; init; }

    /// <summary>The personal access token the session was opened with; null for a password sign-in.</summary>
    public long? PersonalAccessTokenId { get; init; }

    public string? CreatedAt { get; init; }

    public string? LastUsedAt { get; init; }

    public string? ExpiresAt { get; init; }

    public string? IpAddress { get; init; }

    public string? UserAgent { get; init; }
}

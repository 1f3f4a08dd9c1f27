namespace Relais.Server.Storage;

/// <summary>
/// One SSH public key row: a user's key (<see cref="Kind"/> <c>user</c>, <see cref="UserId"/> its owner) or a deploy
/// key (<c>deploy</c>, <see cref="UserId"/> who added it), enabled on projects by <see cref="DeployKeyProjectRecord"/>.
/// Both kinds share ids and <see cref="FingerprintSha256"/>, which is unique: a key belongs to one owner only.
/// </summary>
public sealed record SshKeyRecord
{
    public const string UserKind = "user";
    public const string DeployKind = "deploy";

    public long Id { get; init; }

    public string Kind { get; init; } = UserKind;

    public long? UserId { get; init; }

    public string Title { get; init; } = "";

    /// <summary>The normalised public key line (type, base64 blob, comment).</summary>
    public string Key { get; init; } = "";

    public string FingerprintSha256 { get; init; } = "";

    public string FingerprintMd5 { get; init; } = "";

    /// <summary><c>auth</c>, <c>signing</c> or <c>auth_and_signing</c> (GitLab's); deploy keys are <c>auth</c>.</summary>
    public string UsageType { get; init; } = "auth_and_signing";

    /// <summary>As the database returns it (see <c>ApiJson.Time</c>).</summary>
    public string? CreatedAt { get; init; }

    /// <summary>UTC, <c>yyyy-MM-ddTHH:mm:ss.fffZ</c> (compares as text), or null: never.</summary>
    public string? ExpiresAt { get; init; }
}

/// <summary>A deploy key enabled on a project, and whether it may push there.</summary>
public sealed record DeployKeyProjectRecord
{
    public long ProjectId { get; init; }

    public long DeployKeyId { get; init; }

    public bool CanPush { get; init; }

    public string? CreatedAt { get; init; }
}

/// <summary>Who an SSH key authenticates: a user (<see cref="UserId"/>, <see cref="Username"/>) or a deploy key (its projects decide what it may do).</summary>
public sealed record SshKeyOwner
{
    public long KeyId { get; init; }

    public string Kind { get; init; } = "";

    /// <summary>The key's user for a user key; null for a deploy key.</summary>
    public long? UserId { get; init; }

    public string? Username { get; init; }

    public bool IsDeployKey => Kind == SshKeyRecord.DeployKind;
}

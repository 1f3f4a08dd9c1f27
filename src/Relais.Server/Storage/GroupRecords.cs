namespace Relais.Server.Storage;

/// <summary>
/// A group: a namespace that holds projects and subgroups. <see cref="FullPath"/> (<c>acme/web</c>) is unique and
/// never changes once created; a top-level group's path shares one space with usernames.
/// </summary>
public sealed record GroupRecord
{
    public long Id { get; init; }

    /// <summary>The parent group, or null for a top-level group.</summary>
    public long? ParentId { get; init; }

    /// <summary>The last segment of <see cref="FullPath"/>.</summary>
    public string Path { get; init; } = "";

    public string FullPath { get; init; } = "";

    public string Name { get; init; } = "";

    public string Description { get; init; } = "";

    /// <summary><c>private</c> or <c>public</c>.</summary>
    public string Visibility { get; init; } = "private";

    /// <summary>As the database returns it (see <c>ApiJson.Time</c>).</summary>
    public string? CreatedAt { get; init; }
}

/// <summary>Where a membership applies: a project or a group (GitLab's <c>source_type</c>).</summary>
public enum MemberSource
{
    Project,
    Group,
}

/// <summary>
/// One user's role on one project or group (one row per source and user). <see cref="ExpiresAt"/> is a day
/// (<c>yyyy-MM-dd</c>): from that day on the membership no longer counts.
/// </summary>
public sealed record MemberRecord
{
    public MemberSource Source { get; init; }

    public long SourceId { get; init; }

    public long UserId { get; init; }

    /// <summary>The member's username (read with the row).</summary>
    public string Username { get; init; } = "";

    public int AccessLevel { get; init; }

    public string? ExpiresAt { get; init; }

    public long? CreatedBy { get; init; }

    public string? CreatedAt { get; init; }
}

/// <summary>What deleting a group did: deleted, not found, or refused because it still holds projects or subgroups.</summary>
public enum GroupDeletion
{
    Deleted,
    NotFound,
    NotEmpty,
}

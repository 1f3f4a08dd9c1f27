namespace Relais.Server.Storage;

/// <summary>
/// One line of the audit log: who (<see cref="AuthorId"/> and <see cref="AuthorName"/>: a user, <c>runner #ID</c>,
/// <c>job #ID</c> or <c>anonymous</c>), did what (<see cref="Action"/>, e.g. <c>project_created</c>,
/// <c>token_used</c>, <c>authentication_failed</c>) to what (<see cref="EntityType"/>/<see cref="EntityId"/>), when
/// and from where (<see cref="IpAddress"/>). <see cref="Details"/> is short free text; it never holds a secret.
/// </summary>
public sealed record AuditEventRecord
{
    public long Id { get; init; }

    public long? AuthorId { get; init; }

    public string AuthorName { get; init; } = "";

    public string Action { get; init; } = "";

    /// <summary><c>User</c>, <c>Project</c>, <c>Pipeline</c>, <c>Job</c>, <c>Runner</c>, <c>Variable</c>, <c>PersonalAccessToken</c>.</summary>
    public string EntityType { get; init; } = "";

    public long? EntityId { get; init; }

    /// <summary>A readable name of the entity (a project path, a variable key), when there is one.</summary>
    public string? EntityPath { get; init; }

    public string? Details { get; init; }

    public string? IpAddress { get; init; }

    /// <summary>As the database returns it (see <c>ApiJson.Time</c>); set by the store on insert.</summary>
    public string? CreatedAt { get; init; }
}

/// <summary>A personal access token's row (never its value).</summary>
public sealed record PersonalTokenRecord(long Id, long UserId, string Name, DateTimeOffset CreatedAt)
{
    public bool Revoked { get; init; }
}

namespace Relais.Server.Storage;

/// <summary>
/// One repository of a project's container registry (GitLab's <c>ContainerRepository</c>): its registry path is the
/// project's path, lowercased, followed by <c>/Name</c> when <see cref="Name"/> is not empty.
/// </summary>
public sealed record ContainerRepositoryRecord
{
    public long Id { get; init; }

    public long ProjectId { get; init; }

    /// <summary>The path below the project's (<c>""</c> for the project's own image, <c>"cache"</c> for <c>group/app/cache</c>).</summary>
    public string Name { get; init; } = "";

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When a cleanup policy last started on this repository (GitLab's <c>cleanup_policy_started_at</c>); null before.</summary>
    public DateTimeOffset? CleanupPolicyStartedAt { get; init; }

    /// <summary>The repository's path in the registry, given its project's path.</summary>
    public string PathIn(string projectPath) =>
        Name.Length == 0 ? projectPath.ToLowerInvariant() : projectPath.ToLowerInvariant() + "/" + Name;
}

namespace Relais.Server.Storage;

/// <summary>
/// A release of a project's tag (<c>/projects/:id/releases</c>): its name and notes, the commit the tag pointed at when
/// it was made (<see cref="Sha"/>), who made it, and when it is (or was) released.
/// </summary>
public sealed record ReleaseRecord
{
    public long Id { get; init; }

    public long ProjectId { get; init; }

    public string TagName { get; init; } = "";

    public string Name { get; init; } = "";

    public string? Description { get; init; }

    public string? Sha { get; init; }

    public long? AuthorId { get; init; }

    /// <summary>As the database returns it (see <c>ApiJson.Time</c>).</summary>
    public string? ReleasedAt { get; init; }

    public string? CreatedAt { get; init; }
}

/// <summary>
/// One asset link of a release: a name, where it points, the path it is also served at under the release
/// (<c>/-/releases/:tag/downloads/PATH</c>) and GitLab's <c>link_type</c> (<c>other</c>, <c>runbook</c>, <c>image</c>, <c>package</c>).
/// </summary>
public sealed record ReleaseLinkRecord
{
    public long Id { get; init; }

    public long ReleaseId { get; init; }

    public string Name { get; init; } = "";

    public string Url { get; init; } = "";

    public string? DirectAssetPath { get; init; }

    public string LinkType { get; init; } = "other";
}

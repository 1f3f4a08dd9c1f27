namespace Relais.Server.Storage;

/// <summary>A project's releases, one per tag, and their asset links. Every method is its own transaction.</summary>
public interface IReleaseStore
{
    /// <summary>Adds a release with its links; null when the project has one for that tag already.</summary>
    Task<ReleaseRecord?> AddAsync(ReleaseRecord release, IReadOnlyList<ReleaseLinkRecord> links, DateTimeOffset releasedAt, DateTimeOffset now, CancellationToken cancel = default);

    Task<ReleaseRecord?> FindAsync(long projectId, string tagName, CancellationToken cancel = default);

    /// <summary>The project's releases, newest <c>released_at</c> first (or oldest with <paramref name="ascending"/>), and how many there are.</summary>
    Task<(IReadOnlyList<ReleaseRecord> Page, int Total)> ListAsync(long projectId, bool byCreated, bool ascending, int offset, int limit, CancellationToken cancel = default);

    /// <summary>Changes name, description and (when given) the release time; false when the release is gone.</summary>
    Task<bool> UpdateAsync(long id, string name, string? description, DateTimeOffset? releasedAt, CancellationToken cancel = default);

    /// <summary>Deletes the release and its links; false when it was gone.</summary>
    Task<bool> DeleteAsync(long id, CancellationToken cancel = default);

    /// <summary>The links of the releases <paramref name="releaseIds"/>, in the order they were added.</summary>
    Task<IReadOnlyList<ReleaseLinkRecord>> ListLinksAsync(IReadOnlyCollection<long> releaseIds, CancellationToken cancel = default);

    Task<ReleaseLinkRecord> AddLinkAsync(ReleaseLinkRecord link, DateTimeOffset now, CancellationToken cancel = default);

    Task<bool> UpdateLinkAsync(ReleaseLinkRecord link, CancellationToken cancel = default);

    Task<bool> DeleteLinkAsync(long releaseId, long linkId, CancellationToken cancel = default);
}

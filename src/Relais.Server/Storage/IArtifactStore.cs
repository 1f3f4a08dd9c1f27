namespace Relais.Server.Storage;

/// <summary>The artifact files jobs uploaded (the rows; the blobs are in <c>ArtifactBlobs</c>). Every method may be called concurrently; each call is its own transaction.</summary>
public interface IArtifactStore
{
    Task SaveArtifactAsync(ArtifactRecord artifact, DateTimeOffset now, DateTimeOffset? expireAt, CancellationToken cancel = default);

    Task<ArtifactRecord?> FindArtifactAsync(long jobId, string fileType, CancellationToken cancel = default);

    Task<IReadOnlyList<ArtifactRecord>> ArtifactsOfAsync(IReadOnlyCollection<long> jobIds, CancellationToken cancel = default);

    /// <summary>Clears the expiry of every artifact of the job (GitLab's "keep"); false when the job has none.</summary>
    Task<bool> KeepArtifactsAsync(long jobId, CancellationToken cancel = default);

    /// <summary>Deletes the rows of every artifact of the jobs and returns them, so the caller deletes their blobs.</summary>
    Task<IReadOnlyList<ArtifactRecord>> DeleteArtifactsAsync(IReadOnlyCollection<long> jobIds, CancellationToken cancel = default);

    /// <summary>
    /// The jobs of the project that have artifacts, except those GitLab keeps when a project's artifacts are deleted:
    /// the jobs of the most recent successful pipeline of each ref.
    /// </summary>
    Task<IReadOnlyList<long>> DeletableJobsOfProjectAsync(long projectId, CancellationToken cancel = default);
}

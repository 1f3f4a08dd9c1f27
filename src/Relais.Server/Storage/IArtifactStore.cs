namespace Relais.Server.Storage;

/// <summary>The artifact files jobs uploaded (the rows; the blobs are in <c>ArtifactBlobs</c>). Every method may be called concurrently; each call is its own transaction.</summary>
public interface IArtifactStore
{
    Task SaveArtifactAsync(ArtifactRecord artifact, DateTimeOffset now, DateTimeOffset? expireAt, CancellationToken cancel = default);

    Task<ArtifactRecord?> FindArtifactAsync(long jobId, string fileType, CancellationToken cancel = default);

    Task<IReadOnlyList<ArtifactRecord>> ArtifactsOfAsync(IReadOnlyCollection<long> jobIds, CancellationToken cancel = default);
}

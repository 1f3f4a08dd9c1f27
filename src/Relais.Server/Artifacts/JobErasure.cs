using Relais.Server.Logs;
using Relais.Server.Storage;

namespace Relais.Server.Artifacts;

/// <summary>
/// Removing what jobs left behind: their artifacts (rows first, then blobs, so no row ever points at a missing file)
/// and, when a job is erased, its log too, with <c>erased_at</c> recorded.
/// </summary>
internal sealed class JobErasure(IPipelineStore pipelineStore, IArtifactStore artifactStore, ArtifactBlobs blobs, TraceStore traces, TimeProvider time)
{
    /// <summary>Deletes every artifact of the jobs; returns how many files went.</summary>
    public async Task<int> DeleteArtifactsAsync(IReadOnlyCollection<long> jobIds, CancellationToken cancel)
    {
        var deleted = await artifactStore.DeleteArtifactsAsync(jobIds, cancel);
        foreach (var artifact in deleted)
        {
            blobs.Delete(artifact.BlobPath);
        }

        return deleted.Count;
    }

    /// <summary>Erases a finished job: its artifacts, its log, and marks it erased.</summary>
    public async Task EraseAsync(JobRecord job, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(job);
        await DeleteArtifactsAsync([job.Id], cancel);
        traces.Delete(job.Id);
        await pipelineStore.MarkJobErasedAsync(job.Id, time.GetUtcNow(), cancel);
    }
}

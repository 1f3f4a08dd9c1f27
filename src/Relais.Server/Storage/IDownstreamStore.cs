namespace Relais.Server.Storage;

/// <summary>
/// The links between bridge jobs (<c>trigger:</c>) and the downstream pipelines they created (child or multi-project),
/// and the bridge jobs still waiting on the coordinator. Every method may be called concurrently; each call is its own
/// transaction.
/// </summary>
public interface IDownstreamStore
{
    /// <summary>Records that <paramref name="downstreamPipelineId"/> was created by bridge job <paramref name="bridgeJobId"/> of <paramref name="upstreamPipelineId"/>.</summary>
    Task LinkAsync(long downstreamPipelineId, long upstreamPipelineId, long bridgeJobId, CancellationToken cancel = default);

    /// <summary>Where a pipeline came from; null for a pipeline no bridge created.</summary>
    Task<UpstreamLink?> UpstreamOfAsync(long pipelineId, CancellationToken cancel = default);

    /// <summary>The downstream pipeline of each of <paramref name="bridgeJobIds"/> that has one.</summary>
    Task<IReadOnlyList<DownstreamLink>> DownstreamOfAsync(IReadOnlyCollection<long> bridgeJobIds, CancellationToken cancel = default);

    /// <summary>The pipelines created by bridge jobs of <paramref name="pipelineId"/>, oldest first.</summary>
    Task<IReadOnlyList<PipelineRecord>> DownstreamPipelinesAsync(long pipelineId, CancellationToken cancel = default);

    /// <summary>Bridge jobs that are pending or running (a coordinator's restart takes them up again), oldest first.</summary>
    Task<IReadOnlyList<JobRecord>> OpenBridgesAsync(int limit, CancellationToken cancel = default);
}

/// <summary>The pipeline and bridge job that created a downstream pipeline.</summary>
public sealed record UpstreamLink(long PipelineId, long BridgeJobId);

/// <summary>A bridge job and the pipeline it created.</summary>
public sealed record DownstreamLink(long BridgeJobId, PipelineRecord Pipeline);

using Relais.Driver;
using Relais.Server.Artifacts;
using Relais.Server.Logs;
using Relais.Server.Pipelines;
using Relais.Server.Queue;
using Relais.Server.Storage;

namespace Relais.Server;

/// <summary>The coordinator's parts, built once in <see cref="ServerHost"/> and handed to each feature's endpoints.</summary>
public sealed record ServerContext(
    ServerOptions Options,
    IServerStore Store,
    PipelineDriver Driver,
    PipelineCreator Pipelines,
    JobQueue Queue,
    QueueSignal Signal,
    TraceStore Traces,
    ArtifactBlobs Blobs,
    TimeProvider Time)
{
    /// <summary>Where a running job's runner contacts are recorded (set by <see cref="ServerHost"/>; null: not recorded).</summary>
    public Reliability.JobHeartbeats? Heartbeats { get; init; }
}

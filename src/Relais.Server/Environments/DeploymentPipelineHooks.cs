using System.Threading.Channels;
using Relais.Driver;
using Relais.Engine;

namespace Relais.Server.Environments;

/// <summary>
/// The driver's hooks with deployments added: passes every call to <paramref name="inner"/> and posts the id of each
/// pipeline whose jobs changed to <see cref="Changed"/> (quick, never waits: the driver holds the pipeline's turn), from
/// which <see cref="DeploymentTracker"/> brings its environments and deployments in line.
/// </summary>
public sealed class DeploymentPipelineHooks(IPipelineHooks inner) : IPipelineHooks
{
    private readonly Channel<long> _changed = Channel.CreateUnbounded<long>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Pipelines whose jobs changed, in the order the driver stored the changes.</summary>
    public ChannelReader<long> Changed => _changed.Reader;

    public void JobsEnqueued(long pipelineId, EngineStep step)
    {
        inner.JobsEnqueued(pipelineId, step);
        _changed.Writer.TryWrite(pipelineId);
    }

    public void JobCanceled(long pipelineId, CancelJob cancel) => inner.JobCanceled(pipelineId, cancel);

    public void JobStatusChanged(long pipelineId, JobStatusChanged change)
    {
        inner.JobStatusChanged(pipelineId, change);
        _changed.Writer.TryWrite(pipelineId);
    }

    public void PipelineStatusChanged(long pipelineId, PipelineStatusChanged change)
    {
        inner.PipelineStatusChanged(pipelineId, change);
        _changed.Writer.TryWrite(pipelineId);
    }
}

using System.Threading.Channels;
using Relais.Driver;
using Relais.Engine;
using Relais.Protocol;

namespace Relais.Server.Webhooks;

/// <summary>A pipeline's or a job attempt's new status, as the driver stored it (<see cref="Job"/> null: the pipeline's).</summary>
public sealed record PipelineChange(long PipelineId, string? Job, int Attempt, CiStatus Status);

/// <summary>
/// The driver's hooks with webhooks added: passes every call to <paramref name="inner"/> and posts each stored status
/// change to <see cref="Changes"/> (quick, never waits: the driver holds the pipeline's turn), from which
/// <see cref="WebhookService"/> builds the events. This is the one place pipeline and job events come from.
/// </summary>
public sealed class WebhookPipelineHooks(IPipelineHooks inner) : IPipelineHooks
{
    private readonly Channel<PipelineChange> _changes = Channel.CreateUnbounded<PipelineChange>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>The changes, in the order the driver stored them (per pipeline).</summary>
    public ChannelReader<PipelineChange> Changes => _changes.Reader;

    public void JobsEnqueued(long pipelineId, EngineStep step) => inner.JobsEnqueued(pipelineId, step);

    public void JobCanceled(long pipelineId, CancelJob cancel) => inner.JobCanceled(pipelineId, cancel);

    public void JobStatusChanged(long pipelineId, JobStatusChanged change)
    {
        ArgumentNullException.ThrowIfNull(change);
        inner.JobStatusChanged(pipelineId, change);
        _changes.Writer.TryWrite(new PipelineChange(pipelineId, change.Job, change.Attempt, change.To));
    }

    public void PipelineStatusChanged(long pipelineId, PipelineStatusChanged change)
    {
        ArgumentNullException.ThrowIfNull(change);
        inner.PipelineStatusChanged(pipelineId, change);
        _changes.Writer.TryWrite(new PipelineChange(pipelineId, null, 0, change.To));
    }
}

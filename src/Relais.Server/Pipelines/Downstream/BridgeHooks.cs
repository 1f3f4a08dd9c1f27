using Relais.Driver;
using Relais.Engine;
using Relais.Protocol;

namespace Relais.Server.Pipelines.Downstream;

/// <summary>
/// The driver's hooks with bridge jobs (<c>trigger:</c>) taken care of: a bridge made pending, a running attempt
/// canceled and a pipeline that settled are posted to the <see cref="BridgeInbox"/> (quickly, in the driver's turn);
/// every effect still reaches <paramref name="inner"/>.
/// </summary>
public sealed class BridgeHooks(IPipelineHooks inner, BridgeInbox inbox) : IPipelineHooks
{
    public void JobsEnqueued(long pipelineId, EngineStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        foreach (var effect in step.Effects)
        {
            if (effect is EnqueueJob enqueued && step.State.Plan.Job(enqueued.Job)?.IsTrigger == true)
            {
                inbox.Post(new BridgePending(pipelineId, enqueued.Job, enqueued.Attempt));
            }
        }

        inner.JobsEnqueued(pipelineId, step);
    }

    public void JobCanceled(long pipelineId, CancelJob cancel)
    {
        ArgumentNullException.ThrowIfNull(cancel);
        if (cancel.WasRunning)
        {
            inbox.Post(new RunningJobCanceled(pipelineId, cancel.Job, cancel.Attempt));
        }

        inner.JobCanceled(pipelineId, cancel);
    }

    public void JobStatusChanged(long pipelineId, JobStatusChanged change) => inner.JobStatusChanged(pipelineId, change);

    public void PipelineStatusChanged(long pipelineId, PipelineStatusChanged change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (change.To.IsCompleted())
        {
            inbox.Post(new PipelineSettled(pipelineId, change.To));
        }

        inner.PipelineStatusChanged(pipelineId, change);
    }
}

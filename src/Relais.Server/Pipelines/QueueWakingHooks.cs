using Relais.Driver;
using Relais.Engine;
using Relais.Server.Queue;

namespace Relais.Server.Pipelines;

/// <summary>
/// What the coordinator does with a persisted step's effects: a step that made jobs pending wakes the runners'
/// long polls (once per step). Canceled jobs need nothing here: a runner learns of the cancel from its next job update,
/// which reads the stored status; status changes are read from the database by the API and the web UI.
/// </summary>
public sealed class QueueWakingHooks(QueueSignal signal) : PipelineHooks
{
    public override void JobsEnqueued(long pipelineId, EngineStep step) => signal.Notify();
}

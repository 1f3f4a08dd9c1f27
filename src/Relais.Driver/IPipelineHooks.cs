using Relais.Engine;

namespace Relais.Driver;

/// <summary>
/// The effects a host carries out after the driver has persisted a step. Contract:
/// <list type="bullet">
/// <item>Called only for an accepted, persisted step, in the order of its effects (<see cref="JobsEnqueued"/> once,
/// last), and only while the driver
/// holds that pipeline's turn: calls for one pipeline never overlap and come in step order; calls for different
/// pipelines may run concurrently.</item>
/// <item>Because the pipeline's turn is held, a hook must be quick and must not wait for the driver (no
/// <c>await driver.ApplyAsync(...)</c> inside): post to a queue or a signal and act from there.</item>
/// <item>An exception from a hook propagates to the caller of the driver method (the step stays persisted).</item>
/// <item>Timers (<see cref="ScheduleWakeUp"/>) and resource groups (<see cref="ResourceEffect"/>) are handled by
/// the driver itself and never reach the hooks.</item>
/// </list>
/// </summary>
public interface IPipelineHooks
{
    /// <summary>
    /// The step made at least one attempt pending (its <see cref="EnqueueJob"/> effects say which): the server wakes
    /// its queue once, <c>relais run</c> starts them. Called once per step, after the step's other hooks.
    /// </summary>
    void JobsEnqueued(long pipelineId, EngineStep step);

    /// <summary>The attempt must stop (<see cref="CancelJob.WasRunning"/>: a runner holds it and reports back).</summary>
    void JobCanceled(long pipelineId, CancelJob cancel);

    /// <summary>An attempt's status changed (for output and notifications).</summary>
    void JobStatusChanged(long pipelineId, JobStatusChanged change);

    /// <summary>The pipeline's status changed.</summary>
    void PipelineStatusChanged(long pipelineId, PipelineStatusChanged change);
}

/// <summary>Hooks that do nothing: a host that only needs the persisted state derives from this.</summary>
public class PipelineHooks : IPipelineHooks
{
    public virtual void JobsEnqueued(long pipelineId, EngineStep step)
    {
    }

    public virtual void JobCanceled(long pipelineId, CancelJob cancel)
    {
    }

    public virtual void JobStatusChanged(long pipelineId, JobStatusChanged change)
    {
    }

    public virtual void PipelineStatusChanged(long pipelineId, PipelineStatusChanged change)
    {
    }
}

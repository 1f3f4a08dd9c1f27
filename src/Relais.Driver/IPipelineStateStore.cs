using Relais.Engine;

namespace Relais.Driver;

/// <summary>
/// Where the driver keeps pipeline states. Contract:
/// <list type="bullet">
/// <item><see cref="TransitionAsync"/> is compute-then-persist: load the state (null for a pipeline without one),
/// call <c>decide</c> exactly once on it, and save the accepted step — the state and whatever the store derives
/// from it (job rows) — as ONE atomic unit. A rejected step (<see cref="EngineStep.Accepted"/> false) writes
/// nothing.</item>
/// <item>The driver calls it for one pipeline at a time within a process (see <see cref="PipelineDriver"/>);
/// calls for different pipelines run concurrently. A store shared by several processes must guard the load and
/// the save of one pipeline itself (a row lock in the same transaction).</item>
/// <item><c>decide</c> is pure and quick: it must not call back into the store or the driver.</item>
/// <item>Exceptions (the database is down) propagate to the driver's caller; nothing was written.</item>
/// </list>
/// </summary>
public interface IPipelineStateStore
{
    /// <summary>
    /// Loads the pipeline's state, applies <paramref name="decide"/> and persists its step in one transaction.
    /// With a <paramref name="claim"/>, the job is first taken for the runner by a conditional update in that same
    /// transaction (at most one caller ever wins a job). Returns the step, or null with nothing written when the
    /// claim was lost or the step was rejected.
    /// </summary>
    Task<EngineStep?> TransitionAsync(long pipelineId, Func<PipelineState?, EngineStep> decide, JobClaim? claim = null, CancellationToken cancel = default);
}

/// <summary>
/// A runner taking a pending job: the conditional update that makes dispatch exactly-once. A store without job
/// rows (the memory store) checks nothing: the engine's own <see cref="JobStarted"/> rule (only a pending attempt
/// starts) is the guard there.
/// </summary>
public sealed record JobClaim(long JobId, long RunnerId, string TokenHash, DateTimeOffset At);

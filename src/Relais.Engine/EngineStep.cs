using System.Collections.Immutable;
using Relais.Protocol;

namespace Relais.Engine;

/// <summary>
/// The result of one step of the engine: the new state and the effects to perform, computed together so the
/// caller can persist both in one transaction. A rejected event leaves the state exactly as it was and says
/// why (its only possible effect is handing back an unusable <see cref="ResourceGranted"/>).
/// </summary>
public sealed record EngineStep(PipelineState State, ImmutableArray<EngineEffect> Effects, EngineRejection? Rejection = null)
{
    /// <summary>True when the event applied.</summary>
    public bool Accepted => Rejection is null;

    /// <summary>The effects of one type, in order.</summary>
    public IEnumerable<T> EffectsOf<T>() where T : EngineEffect => Effects.OfType<T>();
}

/// <summary>Why an event did not apply (a value, never an exception).</summary>
/// <param name="Code">A stable code: <c>unknown_job</c>, <c>stale_attempt</c>, <c>invalid_transition</c>,
/// <c>not_retryable</c>, <c>not_playable</c>, <c>not_cancelable</c>.</param>
/// <param name="Message">A sentence for people.</param>
public sealed record EngineRejection(string Code, string Message)
{
    internal static EngineRejection UnknownJob(string job) => new("unknown_job", $"the pipeline has no job '{job}'");

    internal static EngineRejection Stale(string job, int attempt, int current) =>
        new("stale_attempt", $"'{job}' attempt {attempt} is not current (attempt {current} is)");

    internal static EngineRejection Invalid(string job, CiStatus status, string what) =>
        new("invalid_transition", $"'{job}' is {status.ToGitLab()}: cannot {what}");
}

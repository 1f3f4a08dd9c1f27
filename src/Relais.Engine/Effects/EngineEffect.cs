using Relais.Protocol;

namespace Relais.Engine;

/// <summary>
/// What the outside world must do after a step, as a value. The server performs these after persisting the
/// step's state in the same transaction (an outbox); <c>relais run</c> performs them directly.
/// </summary>
public abstract record EngineEffect;

/// <summary>Put the attempt in the queue for a runner.</summary>
public sealed record EnqueueJob(string Job, int Attempt) : EngineEffect;

/// <summary>
/// Stop the attempt. When <paramref name="WasRunning"/>, a runner holds it: tell it to cancel (graceful
/// cancel runs <c>after_script</c>) and report back with <see cref="JobCanceled"/> or <see cref="JobFinished"/>.
/// Otherwise just take it out of the queue: it is already canceled.
/// </summary>
public sealed record CancelJob(string Job, int Attempt, bool WasRunning) : EngineEffect;

/// <summary>Send a <see cref="TimePassed"/> event at (or after) this time. A later one replaces an earlier one.</summary>
public sealed record ScheduleWakeUp(DateTimeOffset At) : EngineEffect;

/// <summary>An attempt's status changed (<paramref name="From"/> is null for a new attempt).</summary>
public sealed record JobStatusChanged(string Job, int Attempt, CiStatus? From, CiStatus To) : EngineEffect;

/// <summary>The pipeline's status changed.</summary>
public sealed record PipelineStatusChanged(CiStatus From, CiStatus To) : EngineEffect;

/// <summary>
/// A change in how an attempt stands toward its <c>resource_group</c>. Feed it to the group's
/// <see cref="ResourceGroupMachine"/> (<see cref="ResourceGroupEvent.From"/> turns it into the group's event).
/// </summary>
public abstract record ResourceEffect(string Group, string Job, int Attempt) : EngineEffect;

/// <summary>The attempt will want the resource later (it is created or scheduled): oldest/newest-first modes wait for it.</summary>
public sealed record ResourceUpcoming(string Group, string Job, int Attempt) : ResourceEffect(Group, Job, Attempt);

/// <summary>The attempt is ready and waits for the resource (waiting_for_resource).</summary>
public sealed record RequestResource(string Group, string Job, int Attempt) : ResourceEffect(Group, Job, Attempt);

/// <summary>The attempt no longer holds or wants the resource (it finished, was canceled, skipped, or became manual).</summary>
public sealed record ReleaseResource(string Group, string Job, int Attempt) : ResourceEffect(Group, Job, Attempt);

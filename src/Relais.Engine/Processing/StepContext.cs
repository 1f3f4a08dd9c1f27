using System.Collections.Immutable;

namespace Relais.Engine;

/// <summary>
/// The working copy of one step: the job attempts as a small mutable table, the step's time and the plan
/// index. Local to one call of the engine, so the engine stays pure; <see cref="Snapshot"/> freezes it.
/// </summary>
internal sealed class StepContext
{
    private readonly List<JobState> _attempts;
    private readonly Dictionary<string, int> _current = new(StringComparer.Ordinal);
    private bool _added;

    public StepContext(PipelineState state, PlanIndex index, DateTimeOffset now)
    {
        State = state;
        Index = index;
        Now = now;
        AutoCanceledBy = state.AutoCanceledBy;
        _attempts = [.. state.Jobs];
        for (var i = 0; i < _attempts.Count; i++)
        {
            if (!_attempts[i].Retried)
            {
                _current[_attempts[i].Name] = i;
            }
        }
    }

    /// <summary>The state the step started from.</summary>
    public PipelineState State { get; }

    public PlanIndex Index { get; }

    public DateTimeOffset Now { get; }

    public long? AutoCanceledBy { get; set; }

    public IEnumerable<JobState> CurrentJobs => _current.Values.Select(i => _attempts[i]);

    public JobState? Find(string name) => _current.TryGetValue(name, out var i) ? _attempts[i] : null;

    public JobState Current(string name) => _attempts[_current[name]];

    /// <summary>All attempts of the job so far, the current one included.</summary>
    public int AttemptCount(string name) => _attempts.Count(a => string.Equals(a.Name, name, StringComparison.Ordinal));

    /// <summary>Replace the current attempt of <c>job.Name</c>.</summary>
    public void Update(JobState job) => _attempts[_current[job.Name]] = job;

    /// <summary>Keep the current attempt as history and add a new, created attempt.</summary>
    public JobState AddAttempt(string name, bool enqueueImmediately)
    {
        var old = Current(name);
        Update(old with { Retried = true });
        var fresh = new JobState
        {
            Name = name,
            Attempt = old.Attempt + 1,
            AllowFailure = Index.Job(name).AllowFailure,
            CreatedAt = Now,
            EnqueueImmediately = enqueueImmediately,
        };
        _attempts.Add(fresh);
        _current[name] = _attempts.Count - 1;
        _added = true;
        return fresh;
    }

    /// <summary>
    /// The attempts in plan order, then by attempt number. The state's attempts come in that order, so only a step
    /// that added attempts (appended at the end) needs to sort.
    /// </summary>
    public ImmutableArray<JobState> Snapshot() =>
        _added ? [.. _attempts.OrderBy(a => Index.PlanOrder(a.Name)).ThenBy(a => a.Attempt)] : [.. _attempts];
}

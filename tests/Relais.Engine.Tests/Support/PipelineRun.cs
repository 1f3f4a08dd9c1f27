using System.Globalization;
using Relais.Pipelines.Plan;
using Relais.Protocol;

namespace Relais.Engine.Tests.Support;

/// <summary>
/// Drives one pipeline through the engine the way a driver would: it stamps events with a fake clock, keeps
/// the latest state and every effect, and plays small scripts (<see cref="Do"/>) for table-driven tests.
/// </summary>
public sealed class PipelineRun
{
    private readonly List<EngineEffect> _effects = [];

    public PipelineRun(PipelinePlan plan, long id = 1, FakeClock? clock = null)
    {
        Clock = clock ?? new FakeClock();
        Keep(PipelineEngine.Create(plan, id, Clock.Now));
    }

    public static PipelineRun Of(string plan, long id = 1, FakeClock? clock = null) => new(PlanDsl.Parse(plan), id, clock);

    public FakeClock Clock { get; }

    public PipelineState State { get; private set; } = null!;

    public EngineStep LastStep { get; private set; } = null!;

    /// <summary>Called after every step (a driver routing effects, like <see cref="Project"/>).</summary>
    public Action<PipelineRun, EngineStep>? Observer { get; set; }

    /// <summary>Every effect so far, in order.</summary>
    public IReadOnlyList<EngineEffect> Effects => _effects;

    public CiStatus Status => State.Status;

    public JobState Job(string name) => State.Job(name) ?? throw new InvalidOperationException($"no job {name}");

    public int Attempt(string name) => Job(name).Attempt;

    /// <summary>Apply an event stamped now; the event must be accepted.</summary>
    public EngineStep Apply(Func<DateTimeOffset, PipelineEvent> make)
    {
        var step = TryApply(make);
        if (!step.Accepted)
        {
            throw new InvalidOperationException($"rejected: {step.Rejection}");
        }

        return step;
    }

    /// <summary>Apply an event stamped now, accepted or not.</summary>
    public EngineStep TryApply(Func<DateTimeOffset, PipelineEvent> make) => Keep(PipelineEngine.Apply(State, make(Clock.Now)));

    public PipelineRun Start(string job) => Then(() => Apply(at => new JobStarted(at, job, Attempt(job))));

    /// <summary>Start the job if it is only queued, then finish it successfully.</summary>
    public PipelineRun Succeed(string job) => StartIfPending(job).Then(() => Apply(at => JobFinished.Success(at, job, Attempt(job))));

    public PipelineRun Fail(string job, int? exitCode = 1, string reason = FailureReasons.ScriptFailure) =>
        StartIfPending(job).Then(() => Apply(at => JobFinished.Failure(at, job, Attempt(job), reason, exitCode)));

    public PipelineRun Tick(int seconds)
    {
        Clock.Advance(TimeSpan.FromSeconds(seconds));
        return Then(() => Apply(at => new TimePassed(at)));
    }

    /// <summary>
    /// Play a script of actions separated by <c>;</c>: <c>ok J</c>, <c>fail J [exit] [reason]</c>, <c>start J</c>,
    /// <c>lost J</c>, <c>play J</c>, <c>unschedule J</c>, <c>retry J</c>, <c>retry_pipeline</c>, <c>cancel</c>,
    /// <c>cancel J</c>, <c>canceled J</c> (the runner confirms), <c>grant J</c>, <c>tick N</c>, <c>autocancel N</c>.
    /// </summary>
    public PipelineRun Do(string script)
    {
        foreach (var action in script.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var w = action.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var job = w.Length > 1 ? w[1] : "";
            _ = w[0] switch
            {
                "ok" => Succeed(job),
                "fail" => Fail(job, w.Length > 2 ? Int(w[2]) : 1, w.Length > 3 ? w[3] : FailureReasons.ScriptFailure),
                "start" => Start(job),
                "lost" => Then(() => Apply(at => new RunnerLost(at, job, Attempt(job)))),
                "play" => Then(() => Apply(at => new ManualJobPlayed(at, job))),
                "unschedule" => Then(() => Apply(at => new DelayedJobUnscheduled(at, job))),
                "retry" => Then(() => Apply(at => new RetryRequested(at, job))),
                "retry_pipeline" => Then(() => Apply(at => new PipelineRetryRequested(at))),
                "cancel" when w.Length == 1 => Then(() => Apply(at => new PipelineCancelRequested(at))),
                "cancel" => Then(() => Apply(at => new JobCancelRequested(at, job))),
                "canceled" => Then(() => Apply(at => new JobCanceled(at, job, Attempt(job)))),
                "grant" => Then(() => Apply(at => new ResourceGranted(at, job, Attempt(job)))),
                "tick" => Tick(Int(job)),
                "autocancel" => Then(() => TryApply(at => new AutoCancelRequested(at, Int(job)))),
                _ => throw new ArgumentException($"unknown action: {action}"),
            };
        }

        return this;
    }

    /// <summary>The current jobs as <c>name=status</c>, with <c>#n</c> for attempt n &gt; 1 and <c>!</c> for an allowed failure.</summary>
    public string Jobs() => string.Join(' ', State.CurrentJobs.Select(j =>
        $"{j.Name}={j.Status.ToGitLab()}{(j.Attempt > 1 ? $"#{j.Attempt}" : "")}{(j.HasWarning ? "!" : "")}"));

    public IEnumerable<T> EffectsOf<T>() where T : EngineEffect => _effects.OfType<T>();

    private PipelineRun StartIfPending(string job) => Job(job).Status == CiStatus.Pending ? Start(job) : this;

    private PipelineRun Then(Action action)
    {
        action();
        return this;
    }

    private EngineStep Keep(EngineStep step)
    {
        LastStep = step;
        State = step.State;
        _effects.AddRange(step.Effects);
        Observer?.Invoke(this, step);
        return step;
    }

    private static int Int(string text) => int.Parse(text, CultureInfo.InvariantCulture);
}

using Microsoft.Extensions.Time.Testing;
using Relais.Engine;
using Relais.Protocol;
using static Relais.Driver.Tests.Plans;

namespace Relais.Driver.Tests;

public class PipelineDriverTests
{
    private readonly MemoryPipelineStore _store = new();
    private readonly RecordingHooks _hooks = new();
    private readonly FakeTimeProvider _time = new(T0);
    private readonly List<(long Pipeline, Exception Error)> _timerErrors = [];

    private PipelineDriver Driver(IPipelineStateStore? pipelines = null) =>
        new(pipelines ?? _store, _store, _hooks, _time, (p, e) =>
        {
            lock (_timerErrors)
            {
                _timerErrors.Add((p, e));
            }
        });

    [Fact]
    public async Task Create_persists_the_first_step_and_tells_the_host_what_is_enqueued()
    {
        await using var driver = Driver();

        var step = await driver.CreateAsync(1, Of(Job("a"), Job("b")), T0);

        Assert.Equal(CiStatus.Pending, step.State.Status);
        Assert.Same(step.State, _store.Get(1));
        Assert.Equal([(1L, "a"), (1L, "b")], _hooks.Enqueued);
    }

    [Fact]
    public async Task A_rejected_event_changes_nothing_and_returns_null()
    {
        await using var driver = Driver();
        await driver.CreateAsync(1, Of(Job("a")), T0);
        var before = _store.Get(1);

        Assert.Null(await driver.ApplyAsync(1, new JobStarted(T0, "nope", 1))); // unknown job
        Assert.Same(before, _store.Get(1));
        await Assert.ThrowsAsync<InvalidOperationException>(() => driver.ApplyAsync(2, new TimePassed(T0)));
    }

    [Fact]
    public async Task ApplyIf_applies_only_while_the_guard_holds()
    {
        await using var driver = Driver();
        await driver.CreateAsync(1, Of(Job("a")), T0);

        Assert.Null(await driver.ApplyIfAsync(1, s => s.Job("a")!.Status == CiStatus.Running, JobFinished.Failure(T0, "a", 1, "stuck_or_timeout_failure")));
        Assert.Equal(CiStatus.Pending, _store.Get(1)!.Job("a")!.Status);

        var step = await driver.ApplyIfAsync(1, s => s.Job("a")!.Status == CiStatus.Pending, JobFinished.Failure(T0, "a", 1, "stuck_or_timeout_failure"));
        Assert.Equal(CiStatus.Failed, step!.State.Job("a")!.Status);
    }

    [Fact]
    public async Task Events_of_one_pipeline_apply_one_at_a_time_under_concurrent_callers_and_turns_are_freed()
    {
        var store = new OverlapCountingStore(_store);
        await using var driver = Driver(store);
        await driver.CreateAsync(1, Of(Job("a")), T0);
        await driver.CreateAsync(2, Of(Job("a")), T0);

        var calls = Enumerable.Range(0, 200).Select(i => Task.Run(() => driver.ApplyAsync(1 + (i % 2), new TimePassed(T0.AddSeconds(i)))));
        var steps = await Task.WhenAll(calls);

        Assert.All(steps, Assert.NotNull);
        Assert.Equal(1, store.MaxPerPipeline);
        Assert.Equal(0, driver.ActiveTurns);
        Assert.Equal(T0.AddSeconds(199), _store.Get(2)!.UpdatedAt); // every event applied (time never goes back)
    }

    [Fact]
    public async Task Turns_are_freed_after_use_however_many_pipelines_there_were()
    {
        await using var driver = Driver();
        for (var id = 1; id <= 100; id++)
        {
            await driver.CreateAsync(id, Of(Job("a")), T0);
        }

        await Task.WhenAll(Enumerable.Range(1, 100).Select(id => driver.ApplyAsync(id, new JobStarted(T0, "a", 1))));

        Assert.Equal(0, driver.ActiveTurns);
    }

    [Fact]
    public async Task A_delayed_job_starts_at_the_fake_time_and_not_before()
    {
        await using var driver = Driver();
        await driver.CreateAsync(1, Of(Job("later") with { When = Pipelines.Plan.JobWhen.Delayed, StartIn = TimeSpan.FromMinutes(1) }), T0);
        Assert.Equal(CiStatus.Scheduled, _store.Get(1)!.Job("later")!.Status);
        Assert.Equal(1, driver.ActiveTimers);

        _time.Advance(TimeSpan.FromSeconds(59));
        await Task.Delay(50);
        Assert.Equal(CiStatus.Scheduled, _store.Get(1)!.Job("later")!.Status);

        _time.Advance(TimeSpan.FromSeconds(1));
        await Eventually(() => _store.Get(1)!.Job("later")!.Status == CiStatus.Pending, "the delayed job is enqueued when its time comes");
        Assert.Contains((1L, "later"), _hooks.Enqueued);
        await Eventually(() => driver.ActiveTimers == 0, "a fired timer is forgotten");
        Assert.Empty(_timerErrors);
    }

    [Fact]
    public async Task Stopping_the_driver_stops_its_timers()
    {
        var driver = Driver();
        await driver.CreateAsync(1, Of(Job("later") with { When = Pipelines.Plan.JobWhen.Delayed, StartIn = TimeSpan.FromMinutes(1) }), T0);

        await driver.DisposeAsync();
        await driver.DisposeAsync(); // idempotent
        _time.Advance(TimeSpan.FromMinutes(5));
        await Task.Delay(50);

        Assert.Equal(0, driver.ActiveTimers);
        Assert.Equal(CiStatus.Scheduled, _store.Get(1)!.Job("later")!.Status);
        driver.Arm(1, T0); // ignored once stopped
        await Task.Delay(50);
        Assert.Equal(CiStatus.Scheduled, _store.Get(1)!.Job("later")!.Status);
    }

    [Fact]
    public async Task A_timer_that_fails_reports_to_the_callback()
    {
        await using var driver = Driver();

        driver.Arm(42, T0.AddSeconds(10)); // no such pipeline
        _time.Advance(TimeSpan.FromSeconds(10));

        await Eventually(() => { lock (_timerErrors) { return _timerErrors.Count == 1; } }, "the error reaches the callback");
        Assert.Equal(42, _timerErrors[0].Pipeline);
        Assert.IsType<InvalidOperationException>(_timerErrors[0].Error);
    }

    [Fact]
    public async Task Arming_a_past_time_fires_at_once_and_arming_twice_fires_once()
    {
        await using var driver = Driver();
        await driver.CreateAsync(1, Of(Job("a")), T0);
        _time.Advance(TimeSpan.FromSeconds(5));

        driver.Arm(1, T0.AddSeconds(9));
        driver.Arm(1, T0.AddSeconds(9));
        Assert.Equal(1, driver.ActiveTimers);
        driver.Arm(1, T0.AddSeconds(1)); // past: fires now

        await Eventually(() => _store.Get(1)!.UpdatedAt == T0.AddSeconds(5), "the past wake-up applies TimePassed now");
        _time.Advance(TimeSpan.FromSeconds(4));
        await Eventually(() => _store.Get(1)!.UpdatedAt == T0.AddSeconds(9), "the future one at its time");
        await Eventually(() => driver.ActiveTimers == 0, "both forgotten");
    }

    [Fact]
    public async Task Cancel_reaches_the_host()
    {
        await using var driver = Driver();
        await driver.CreateAsync(1, Of(Job("a")), T0);
        await driver.ApplyAsync(1, new JobStarted(T0, "a", 1));

        await driver.ApplyAsync(1, new PipelineCancelRequested(T0));

        var (pipeline, cancel) = Assert.Single(_hooks.Canceled);
        Assert.Equal((1L, "a", true), (pipeline, cancel.Job, cancel.WasRunning));
    }
}

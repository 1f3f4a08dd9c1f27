using Relais.Engine.Tests.Support;
using Relais.Protocol;

namespace Relais.Engine.Tests;

public class EffectsTests
{
    [Fact]
    public void Creation_queues_the_first_jobs_and_announces_every_job()
    {
        var step = PipelineEngine.Create(PlanDsl.Parse("a@build; b@build; c@test"), 1, FakeClock.Epoch);

        Assert.Equal([new EnqueueJob("a", 1), new EnqueueJob("b", 1)], step.EffectsOf<EnqueueJob>());
        Assert.Equal(3, step.EffectsOf<JobStatusChanged>().Count(e => e.From is null));
        Assert.Contains(new PipelineStatusChanged(CiStatus.Created, CiStatus.Pending), step.Effects);
    }

    [Fact]
    public void A_step_reports_only_what_changed()
    {
        var run = PipelineRun.Of("a@build; b@test");

        var step = run.Apply(at => new JobStarted(at, "a", 1));

        Assert.Equal([new JobStatusChanged("a", 1, CiStatus.Pending, CiStatus.Running),
            new PipelineStatusChanged(CiStatus.Pending, CiStatus.Running)], step.Effects.ToArray());
    }

    [Fact]
    public void Reports_about_unknown_jobs_or_in_the_wrong_status_are_rejected()
    {
        var run = PipelineRun.Of("a@build; b@test");

        Assert.Equal("unknown_job", run.TryApply(at => new JobStarted(at, "nope", 1)).Rejection?.Code);
        Assert.Equal("invalid_transition", run.TryApply(at => new JobStarted(at, "b", 1)).Rejection?.Code);
        Assert.Equal("invalid_transition", run.TryApply(at => JobFinished.Success(at, "b", 1)).Rejection?.Code);
        Assert.Equal("a=pending b=created", run.Jobs());
    }

    [Fact]
    public void Time_never_goes_backwards()
    {
        var run = PipelineRun.Of("a@build");
        run.Clock.Advance(TimeSpan.FromMinutes(5));
        run.Start("a");

        var step = run.Apply(_ => JobFinished.Success(FakeClock.Epoch, "a", 1));

        Assert.Equal(FakeClock.Epoch.AddMinutes(5), step.State.Job("a")!.FinishedAt);
    }

    [Fact]
    public void Timestamps_follow_the_events()
    {
        var run = PipelineRun.Of("a@build; b@test");
        run.Clock.Advance(TimeSpan.FromSeconds(5));
        run.Start("a");
        run.Clock.Advance(TimeSpan.FromSeconds(30));
        run.Succeed("a");
        run.Clock.Advance(TimeSpan.FromSeconds(10));
        run.Succeed("b");

        var a = run.Job("a");
        Assert.Equal(FakeClock.Epoch, a.QueuedAt);
        Assert.Equal(FakeClock.Epoch.AddSeconds(5), a.StartedAt);
        Assert.Equal(TimeSpan.FromSeconds(30), a.Duration);
        Assert.Equal(FakeClock.Epoch.AddSeconds(35), run.Job("b").QueuedAt);
        Assert.Equal(FakeClock.Epoch.AddSeconds(5), run.State.StartedAt);
        Assert.Equal(FakeClock.Epoch.AddSeconds(45), run.State.FinishedAt);
    }

    [Fact]
    public void A_retry_reopens_a_finished_pipeline()
    {
        var run = PipelineRun.Of("a@build").Do("fail a");
        Assert.NotNull(run.State.FinishedAt);

        run.Do("retry a");

        Assert.Equal(CiStatus.Pending, run.Status);
        Assert.Null(run.State.FinishedAt);
    }

    [Fact]
    public void The_watchdog_fails_a_silent_job_after_its_timeout_and_grace()
    {
        var run = PipelineRun.Of("a@build timeout=60").Do("start a");
        var deadline = FakeClock.Epoch + TimeSpan.FromSeconds(60) + PipelineEngine.WatchdogGrace;
        Assert.Contains(new ScheduleWakeUp(deadline), run.LastStep.Effects);

        run.Tick(959);
        Assert.Equal(CiStatus.Running, run.Job("a").Status);

        run.Tick(1);
        Assert.Equal(CiStatus.Failed, run.Job("a").Status);
        Assert.Equal(FailureReasons.JobExecutionTimeout, run.Job("a").FailureReason);
    }

    [Fact]
    public void The_dispatch_timeout_overrides_the_plan_and_can_be_retried()
    {
        var run = PipelineRun.Of("a@build timeout=3600 retry=1 retry_when=job_execution_timeout");
        run.Apply(at => new JobStarted(at, "a", 1, Timeout: TimeSpan.FromSeconds(10)));

        run.Tick(10 + (int)PipelineEngine.WatchdogGrace.TotalSeconds);

        Assert.Equal("a=pending#2", run.Jobs());
    }

    [Fact]
    public void A_runner_reported_timeout_is_kept_as_is()
    {
        var run = PipelineRun.Of("a@build").Fail("a", exitCode: null, reason: FailureReasons.JobExecutionTimeout);

        Assert.Equal(FailureReasons.JobExecutionTimeout, run.Job("a").FailureReason);
    }

    [Fact]
    public void Unknown_failure_reasons_become_unknown_failure()
    {
        var run = PipelineRun.Of("a@build").Fail("a", exitCode: 2, reason: "cosmic_rays");

        Assert.Equal(FailureReasons.UnknownFailure, run.Job("a").FailureReason);
    }
}

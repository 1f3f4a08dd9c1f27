namespace Relais.Engine.Tests;

public class WhenTests
{
    private const string Cleanup = "build@build; test@test; cleanup@deploy when=on_failure";
    private const string Report = "build@build; test@test; report@deploy when=always";

    [Theory]
    [InlineData("on_failure after a real failure runs", Cleanup, "ok build; fail test",
        "build=success test=failed cleanup=pending", "running")]
    [InlineData("on_failure after a real failure, done", Cleanup, "ok build; fail test; ok cleanup",
        "build=success test=failed cleanup=success", "failed")]
    [InlineData("on_failure after an allowed failure does not run", "build@build; test@test allow_failure; cleanup@deploy when=on_failure", "ok build; fail test",
        "build=success test=failed! cleanup=skipped", "success")]
    [InlineData("on_failure after success does not run", Cleanup, "ok build; ok test",
        "build=success test=success cleanup=skipped", "success")]
    [InlineData("always after success runs", Report, "ok build; ok test",
        "build=success test=success report=pending", "running")]
    [InlineData("always after failure runs", Report, "ok build; fail test",
        "build=success test=failed report=pending", "running")]
    [InlineData("always after skipped runs", "a@build; b@test when=on_failure; report@deploy when=always", "ok a",
        "a=success b=skipped report=pending", "running")]
    [InlineData("always after a canceled job does not run", "build@build; report@test when=always", "cancel build",
        "build=canceled report=skipped", "canceled")]
    [InlineData("always after a pipeline cancel does not run: it is canceled too", Report, "start build; cancel; canceled build",
        "build=canceled test=canceled report=canceled", "canceled")]
    [InlineData("canceling while the runner stops the job", Report, "start build; cancel",
        "build=canceling test=canceled report=canceled", "canceling")]
    public void When(string name, string plan, string actions, string jobs, string status)
    {
        _ = name;
        Scenario.Check(plan, actions, jobs, status);
    }

    [Theory]
    [InlineData("delayed job is scheduled when its turn comes", "", "build=pending later=created", "pending")]
    [InlineData("scheduled until due", "ok build", "build=success later=scheduled", "scheduled")]
    [InlineData("not yet due", "ok build; tick 59", "build=success later=scheduled", "scheduled")]
    [InlineData("due: queued by the tick", "ok build; tick 60", "build=success later=pending", "running")]
    [InlineData("a late tick queues it too", "ok build; tick 3600", "build=success later=pending", "running")]
    [InlineData("run now", "ok build; play later", "build=success later=pending", "running")]
    [InlineData("unschedule makes it manual (blocking: it was not allow_failure)", "ok build; unschedule later", "build=success later=manual", "manual")]
    [InlineData("after a failure it is skipped", "fail build", "build=failed later=skipped", "failed")]
    public void Delayed(string name, string actions, string jobs, string status)
    {
        _ = name;
        Scenario.Check("build@build; later@test when=delayed start_in=60", actions, jobs, status);
    }

    [Fact]
    public void Delayed_job_asks_for_a_wake_up_at_its_due_time()
    {
        var run = Support.PipelineRun.Of("build@build; later@test when=delayed start_in=60");
        run.Clock.Advance(TimeSpan.FromSeconds(10));
        run.Succeed("build");

        var due = run.Clock.Now.AddSeconds(60);
        Assert.Equal(due, run.Job("later").ScheduledAt);
        Assert.Equal(due, run.State.NextWakeUpAt);
        Assert.Contains(new ScheduleWakeUp(due), run.LastStep.Effects);
    }
}

using Relais.Engine.Tests.Support;
using Relais.Protocol;

namespace Relais.Engine.Tests;

public class CancelTests
{
    [Theory]
    [InlineData("queued and created jobs are canceled at once", "a@build; b@test", "cancel",
        "a=canceled b=canceled", "canceled")]
    [InlineData("a running job is canceling until the runner stops it", "a@build; b@test", "start a; cancel",
        "a=canceling b=canceled", "canceling")]
    [InlineData("the runner confirms", "a@build; b@test", "start a; cancel; canceled a",
        "a=canceled b=canceled", "canceled")]
    [InlineData("a result reported after the cancel still ends canceled", "a@build; b@test", "start a; cancel; ok a",
        "a=canceled b=canceled", "canceled")]
    [InlineData("a lost runner of a canceling job ends canceled", "a@build", "start a; cancel; lost a",
        "a=canceled", "canceled")]
    [InlineData("manual jobs stay manual", "a@build; m@build when=manual", "cancel",
        "a=canceled m=manual", "canceled")]
    [InlineData("a blocking manual job keeps the pipeline blocked", "a@build; m@build when=manual allow_failure=false", "cancel",
        "a=canceled m=manual", "manual")]
    [InlineData("scheduled jobs are canceled", "a@build when=delayed start_in=60", "cancel",
        "a=canceled", "canceled")]
    [InlineData("finished jobs keep their status", "a@build; b@test", "ok a; cancel",
        "a=success b=canceled", "canceled")]
    [InlineData("cancel one job: the rest goes on", "a@build; b@build; c@test", "cancel a",
        "a=canceled b=pending c=created", "running")]
    [InlineData("on_job_failure: all cancels the pipeline on a real failure", "workflow on_job_failure=all; a@build; b@build; c@test", "start b; fail a",
        "a=failed b=canceling c=canceled", "canceling")]
    [InlineData("on_job_failure: all, settled", "workflow on_job_failure=all; a@build; b@build; c@test", "start b; fail a; canceled b",
        "a=failed b=canceled c=canceled", "failed")]
    [InlineData("on_job_failure: all ignores allowed failures", "workflow on_job_failure=all; a@build allow_failure; b@build; c@test", "fail a",
        "a=failed! b=pending c=created", "pending")]
    [InlineData("on_job_failure: all waits for retries", "workflow on_job_failure=all; a@build retry=1; b@build", "fail a",
        "a=pending#2 b=pending", "pending")]
    public void Cancel(string name, string plan, string actions, string jobs, string status)
    {
        _ = name;
        Scenario.Check(plan, actions, jobs, status);
    }

    [Fact]
    public void Cancel_effects_tell_running_from_queued_jobs()
    {
        var run = PipelineRun.Of("a@build; b@build; c@test").Do("start a");

        var step = run.Apply(at => new PipelineCancelRequested(at));

        Assert.Equal(
            [new CancelJob("a", 1, WasRunning: true), new CancelJob("b", 1, WasRunning: false)],
            step.EffectsOf<CancelJob>());
        Assert.Contains(new PipelineStatusChanged(CiStatus.Running, CiStatus.Canceling), step.Effects);
    }

    [Fact]
    public void Canceling_a_finished_pipeline_is_rejected()
    {
        var run = PipelineRun.Of("a@build").Do("ok a");

        var step = run.TryApply(at => new PipelineCancelRequested(at));

        Assert.Equal("not_cancelable", step.Rejection?.Code);
        Assert.Equal(CiStatus.Success, run.Status);
    }
}

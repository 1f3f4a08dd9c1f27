using Relais.Engine.Tests.Support;

namespace Relais.Engine.Tests;

/// <summary>An older pipeline on the same ref, told that pipeline 2 was created (<c>autocancel 2</c>).</summary>
public class AutoCancelTests
{
    [Theory]
    [InlineData("conservative: nothing started, all canceled", "a@build; b@test", "autocancel 2",
        "a=canceled b=canceled", "canceled")]
    [InlineData("conservative: a started job that is not interruptible protects the pipeline", "a@build; b@test", "start a; autocancel 2",
        "a=running b=created", "running")]
    [InlineData("conservative: a finished job that is not interruptible protects it too", "a@build; b@test interruptible", "ok a; autocancel 2",
        "a=success b=pending", "running")]
    [InlineData("conservative: only interruptible jobs started, all canceled", "a@build interruptible; b@test", "start a; autocancel 2",
        "a=canceling b=canceled", "canceling")]
    [InlineData("interruptible: only interruptible jobs are canceled", "workflow on_new_commit=interruptible; a@build; b@build interruptible; c@test interruptible", "start a; start b; autocancel 2",
        "a=running b=canceling c=canceled", "running")]
    [InlineData("interruptible: the others go on", "workflow on_new_commit=interruptible; a@build; b@build interruptible; c@test", "start a; start b; autocancel 2; canceled b; ok a",
        "a=success b=canceled c=skipped", "canceled")]
    [InlineData("a blocked pipeline (manual) is left alone", "a@build; gate@test when=manual allow_failure=false; c@deploy interruptible", "ok a; autocancel 2",
        "a=success gate=manual c=created", "manual")]
    [InlineData("a finished pipeline is left alone", "a@build interruptible", "ok a; autocancel 2",
        "a=success", "success")]
    [InlineData("none: nothing is canceled", "workflow on_new_commit=none; a@build interruptible", "autocancel 2",
        "a=pending", "pending")]
    public void AutoCancel(string name, string plan, string actions, string jobs, string status)
    {
        _ = name;
        Scenario.Check(plan, actions, jobs, status);
    }

    [Fact]
    public void Auto_canceled_jobs_and_pipeline_name_the_newer_pipeline()
    {
        var run = PipelineRun.Of("a@build interruptible; b@test").Do("start a; autocancel 7");

        Assert.Equal(7, run.State.AutoCanceledBy);
        Assert.Equal(7, run.Job("a").AutoCanceledBy);
        Assert.Equal(7, run.Job("b").AutoCanceledBy);
    }

    [Fact]
    public void A_protected_pipeline_says_why()
    {
        var run = PipelineRun.Of("a@build; b@test").Do("start a");

        var step = run.TryApply(at => new AutoCancelRequested(at, 2));

        Assert.Equal("not_cancelable", step.Rejection?.Code);
        Assert.Null(step.State.AutoCanceledBy);
    }
}

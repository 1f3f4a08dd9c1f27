namespace Relais.Engine.Tests;

public class ManualTests
{
    private const string Blocking = "build@build; gate@test when=manual allow_failure=false; deploy@deploy";
    private const string Optional = "build@build; gate@test when=manual; deploy@deploy";

    [Theory]
    [InlineData("a blocking gate holds later stages: pipeline manual (blocked)", Blocking, "ok build",
        "build=success gate=manual deploy=created", "manual")]
    [InlineData("playing the gate", Blocking, "ok build; play gate",
        "build=success gate=pending deploy=created", "running")]
    [InlineData("after the gate passes, later stages run", Blocking, "ok build; play gate; ok gate",
        "build=success gate=success deploy=pending", "running")]
    [InlineData("a blocking gate that fails skips later stages", Blocking, "ok build; play gate; fail gate",
        "build=success gate=failed deploy=skipped", "failed")]
    [InlineData("an optional gate does not hold later stages", Optional, "ok build",
        "build=success gate=manual deploy=pending", "running")]
    [InlineData("an unplayed optional gate lets the pipeline pass", Optional, "ok build; ok deploy",
        "build=success gate=manual deploy=success", "success")]
    [InlineData("an optional gate played late that fails only warns", Optional, "ok build; ok deploy; play gate; fail gate",
        "build=success gate=failed! deploy=success", "success")]
    [InlineData("a pipeline of only optional manual jobs is skipped", "gate@test when=manual", "",
        "gate=manual", "skipped")]
    [InlineData("a manual job after a failure is skipped", "a@build; m@test when=manual", "fail a",
        "a=failed m=skipped", "failed")]
    [InlineData("needing an unplayed optional manual job skips the job", "gate@build when=manual; after@test needs=gate", "",
        "gate=manual after=skipped", "skipped")]
    [InlineData("playing it brings the skipped job back", "gate@build when=manual; after@test needs=gate", "play gate",
        "gate=pending after=created", "pending")]
    [InlineData("and it runs once the manual job passed", "gate@build when=manual; after@test needs=gate", "play gate; ok gate",
        "gate=success after=pending", "running")]
    [InlineData("needing a blocking manual job waits for it", "gate@build when=manual allow_failure=false; after@test needs=gate", "",
        "gate=manual after=created", "manual")]
    public void Gates(string name, string plan, string actions, string jobs, string status)
    {
        _ = name;
        Scenario.Check(plan, actions, jobs, status);
    }

    [Fact]
    public void Playing_a_job_that_is_not_manual_is_rejected_and_changes_nothing()
    {
        var run = Support.PipelineRun.Of("build@build");
        var before = run.State;

        var step = run.TryApply(at => new ManualJobPlayed(at, "build"));

        Assert.Equal("not_playable", step.Rejection?.Code);
        Assert.Same(before, step.State);
        Assert.Empty(step.Effects);
    }
}

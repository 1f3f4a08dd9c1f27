namespace Relais.Engine.Tests;

public class StagesAndNeedsTests
{
    [Theory]
    // Linear stages: one stage at a time, each after the previous one succeeded.
    [InlineData("linear, created", "build@build; test@test; deploy@deploy", "",
        "build=pending test=created deploy=created", "pending")]
    [InlineData("linear, first running", "build@build; test@test; deploy@deploy", "start build",
        "build=running test=created deploy=created", "running")]
    [InlineData("linear, second stage queued", "build@build; test@test; deploy@deploy", "ok build",
        "build=success test=pending deploy=created", "running")]
    [InlineData("linear, all done", "build@build; test@test; deploy@deploy", "ok build; ok test; ok deploy",
        "build=success test=success deploy=success", "success")]
    [InlineData("a stage waits for every job of the stage before", "a@build; b@build; c@test", "ok a",
        "a=success b=pending c=created", "running")]
    // Skipped propagation: a failure skips every later on_success job, stage after stage.
    [InlineData("failure skips later stages", "build@build; test@test; deploy@deploy", "fail build",
        "build=failed test=skipped deploy=skipped", "failed")]
    [InlineData("failure in the middle", "a@build; b@test; c@test; d@deploy", "ok a; fail b",
        "a=success b=failed c=pending d=created", "running")]
    [InlineData("failure in the middle, settled", "a@build; b@test; c@test; d@deploy", "ok a; fail b; ok c",
        "a=success b=failed c=success d=skipped", "failed")]
    [InlineData("a skipped stage does not stop on_success jobs after it", "a@build; b@test when=on_failure; c@deploy", "ok a",
        "a=success b=skipped c=pending", "running")]
    public void Stages(string name, string plan, string actions, string jobs, string status)
    {
        _ = name;
        Scenario.Check(plan, actions, jobs, status);
    }

    [Theory]
    [InlineData("a job with needs starts when its needs finish, not its stage", "a@build; b@build; c@test needs=a; d@deploy needs=c", "ok a",
        "a=success b=pending c=pending d=created", "running")]
    [InlineData("a chain of needs runs ahead of the stages", "a@build; b@build; c@test needs=a; d@deploy needs=c", "ok a; ok c",
        "a=success b=pending c=success d=pending", "running")]
    [InlineData("needs: [] starts at once, whatever its stage", "build@build; lint@deploy needs=", "",
        "build=pending lint=pending", "pending")]
    [InlineData("needs in the same stage", "a@test; b@test needs=a", "",
        "a=pending b=created", "pending")]
    [InlineData("needs in the same stage, need done", "a@test; b@test needs=a", "ok a",
        "a=success b=pending", "running")]
    [InlineData("a failed need skips the job", "a@build; b@test needs=a; c@test", "fail a",
        "a=failed b=skipped c=skipped", "failed")]
    [InlineData("a skipped need skips the job (stages would not)", "a@build; b@test when=on_failure; c@deploy needs=b", "ok a",
        "a=success b=skipped c=skipped", "success")]
    [InlineData("skips cascade down the graph", "a@build; b@test needs=a; c@deploy needs=b; d@deploy needs=", "fail a",
        "a=failed b=skipped c=skipped d=pending", "running")]
    [InlineData("an optional need that is not in the pipeline is not waited for", "a@build; b@test needs=a,missing?", "",
        "a=pending b=created", "pending")]
    [InlineData("only absent optional needs: like needs: []", "a@build; b@test needs=missing?", "",
        "a=pending b=pending", "pending")]
    [InlineData("on_failure with needs runs when a need failed", "a@build; b@test needs=a when=on_failure", "fail a",
        "a=failed b=pending", "running")]
    [InlineData("an allowed failure of a need counts as success", "a@build allow_failure; b@test needs=a", "fail a",
        "a=failed! b=pending", "pending")]
    public void Needs(string name, string plan, string actions, string jobs, string status)
    {
        _ = name;
        Scenario.Check(plan, actions, jobs, status);
    }
}

using Relais.Protocol;

namespace Relais.Engine.Tests;

public class AllowFailureTests
{
    [Theory]
    [InlineData("allow_failure: the job fails with a warning, the pipeline goes on", "test@test allow_failure; deploy@deploy", "fail test",
        "test=failed! deploy=pending", "pending")]
    [InlineData("allow_failure: the pipeline passes (with warnings)", "test@test allow_failure; deploy@deploy", "fail test; ok deploy",
        "test=failed! deploy=success", "success")]
    [InlineData("exit_codes: a listed code is an allowed failure", "test@test exit_codes=3,4; deploy@deploy", "fail test 4",
        "test=failed! deploy=pending", "pending")]
    [InlineData("exit_codes: another code is a real failure", "test@test exit_codes=3,4; deploy@deploy", "fail test 1",
        "test=failed deploy=skipped", "failed")]
    [InlineData("exit_codes: no exit code is a real failure", "test@test exit_codes=3; deploy@deploy", "lost test",
        "test=failed deploy=skipped", "failed")]
    [InlineData("a canceled job with allow_failure does not fail the pipeline", "a@test allow_failure; b@test", "cancel a; ok b",
        "a=canceled b=success", "success")]
    [InlineData("a real failure beside allowed ones fails the pipeline", "a@test allow_failure; b@test", "fail a; fail b",
        "a=failed! b=failed", "failed")]
    public void AllowFailure(string name, string plan, string actions, string jobs, string status)
    {
        _ = name;
        Scenario.Check(plan, actions, jobs, status);
    }

    [Fact]
    public void Warnings_are_reported_on_the_pipeline()
    {
        var run = Scenario.Check("test@test exit_codes=3", "fail test 3", "test=failed!", "success");

        Assert.True(run.State.HasWarnings);
        Assert.Equal(3, run.Job("test").ExitCode);
        Assert.Equal(FailureReasons.ScriptFailure, run.Job("test").FailureReason);
    }
}

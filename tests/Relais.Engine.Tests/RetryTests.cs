using Relais.Protocol;

namespace Relais.Engine.Tests;

public class RetryTests
{
    [Theory]
    [InlineData("retry: 2 retries a failure", "test@test retry=2", "fail test",
        "test=pending#2", "pending")]
    [InlineData("retry: 2 gives up after 3 attempts", "test@test retry=2", "fail test; fail test; fail test",
        "test=failed#3", "failed")]
    [InlineData("a retried job that passes", "test@test retry=2", "fail test; ok test",
        "test=success#2", "success")]
    [InlineData("retry:when: an unlisted reason is not retried", "test@test retry=2 retry_when=runner_system_failure", "fail test",
        "test=failed", "failed")]
    [InlineData("retry:when: a listed reason is retried", "test@test retry=2 retry_when=runner_system_failure", "lost test",
        "test=pending#2", "pending")]
    [InlineData("retry:exit_codes: a listed code is retried", "test@test retry=1 retry_exit_codes=137", "fail test 137",
        "test=pending#2", "pending")]
    [InlineData("retry:exit_codes: another code is not", "test@test retry=1 retry_exit_codes=137", "fail test 1",
        "test=failed", "failed")]
    [InlineData("retry:exit_codes and when: either matches", "test@test retry=2 retry_when=runner_system_failure retry_exit_codes=137", "fail test 137; lost test",
        "test=pending#3", "pending")]
    [InlineData("legacy stuck_or_timeout_failure matches its split reasons", "test@test retry=1 retry_when=stuck_or_timeout_failure", "fail test 1 no_updates_running",
        "test=pending#2", "pending")]
    [InlineData("some reasons are never retried", "test@test retry=2", "fail test 1 no_matching_runner",
        "test=failed", "failed")]
    [InlineData("scheduler_failure is retried twice by default", "test@test", "fail test 1 scheduler_failure; fail test 1 scheduler_failure",
        "test=pending#3", "pending")]
    [InlineData("dependents never see a failure that was retried", "test@test retry=1; deploy@deploy", "fail test",
        "test=pending#2 deploy=created", "pending")]
    [InlineData("a manual retry brings skipped later jobs back", "build@build; test@test; deploy@deploy", "ok build; fail test; retry test",
        "build=success test=pending#2 deploy=created", "running")]
    [InlineData("and they run once the retry passes", "build@build; test@test; deploy@deploy", "ok build; fail test; retry test; ok test",
        "build=success test=success#2 deploy=pending", "running")]
    [InlineData("manual retries count toward retry:max", "test@test retry=1", "fail test; fail test; retry test; fail test",
        "test=failed#3", "failed")]
    [InlineData("a success can be retried too", "test@test", "ok test; retry test",
        "test=pending#2", "pending")]
    [InlineData("a retried manual job is queued without a new play", "m@test when=manual", "play m; fail m; retry m",
        "m=pending#2", "pending")]
    [InlineData("pipeline retry: failed jobs again, skipped ones decided again", "build@build; test@test; deploy@deploy", "ok build; fail test; retry_pipeline",
        "build=success test=pending#2 deploy=created", "running")]
    [InlineData("pipeline retry after a cancel", "a@build; b@test", "cancel; retry_pipeline",
        "a=pending#2 b=created#2", "pending")]
    public void Retry(string name, string plan, string actions, string jobs, string status)
    {
        _ = name;
        Scenario.Check(plan, actions, jobs, status);
    }

    [Fact]
    public void Retried_attempts_stay_as_history()
    {
        var run = Scenario.Check("test@test retry=2", "fail test 1; fail test 2 runner_system_failure; ok test", "test=success#3", "success");

        var attempts = run.State.Attempts("test").ToList();
        Assert.Equal([1, 2, 3], attempts.Select(a => a.Attempt));
        Assert.Equal([true, true, false], attempts.Select(a => a.Retried));
        Assert.Equal([CiStatus.Failed, CiStatus.Failed, CiStatus.Success], attempts.Select(a => a.Status));
        Assert.Equal(FailureReasons.RunnerSystemFailure, attempts[1].FailureReason);
        Assert.Equal([1, 2, 3], run.EffectsOf<EnqueueJob>().Select(e => e.Attempt));
    }

    [Fact]
    public void A_running_job_cannot_be_retried()
    {
        var run = Scenario.Check("test@test", "start test", "test=running", "running");

        var step = run.TryApply(at => new RetryRequested(at, "test"));

        Assert.Equal("not_retryable", step.Rejection?.Code);
    }

    [Fact]
    public void A_report_about_a_retried_attempt_is_stale()
    {
        var run = Scenario.Check("test@test retry=1", "fail test", "test=pending#2", "pending");

        var step = run.TryApply(at => JobFinished.Success(at, "test", 1));

        Assert.Equal("stale_attempt", step.Rejection?.Code);
        Assert.Equal("test=pending#2", run.Jobs());
    }

    [Theory]
    [InlineData(2, new[] { "always" }, new int[0], "script_failure", 1, 0, true)]
    [InlineData(2, new[] { "always" }, new int[0], "script_failure", 1, 2, false)]
    [InlineData(0, new[] { "always" }, new int[0], "script_failure", 1, 0, false)]
    [InlineData(2, new[] { "api_failure" }, new int[0], "api_failure", null, 0, true)]
    [InlineData(2, new[] { "api_failure" }, new int[0], "script_failure", 1, 0, false)]
    [InlineData(1, new string[0], new[] { 137 }, "script_failure", 137, 0, true)]
    [InlineData(1, new string[0], new[] { 137 }, "script_failure", null, 0, false)]
    [InlineData(2, new[] { "job_execution_timeout" }, new int[0], "server_timeout_running", null, 0, true)]
    [InlineData(2, new[] { "always" }, new int[0], "ci_quota_exceeded", 1, 0, false)]
    [InlineData(0, new[] { "always" }, new int[0], "scheduler_failure", null, 1, true)]
    [InlineData(0, new[] { "always" }, new int[0], "scheduler_failure", null, 2, false)]
    public void Policy(int max, string[] when, int[] exitCodes, string reason, int? exitCode, int retriesSoFar, bool expected)
    {
        var plan = new Pipelines.Plan.RetryPlan(max, [.. when], [.. exitCodes]);
        Assert.Equal(expected, RetryPolicy.AllowsAutoRetry(plan, reason, exitCode, retriesSoFar));
    }
}

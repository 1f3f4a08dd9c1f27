using System.Diagnostics;
using System.Net;
using Relais.Protocol;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests;

public sealed class RunnerFlowTests
{
    private const string TwoStages = """
        stages: [build, test]
        build:
          stage: build
          script: [echo build]
        test:
          stage: test
          script: [echo test]
        """;

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task A_long_poll_wakes_when_a_pipeline_is_created_and_the_job_runs_to_the_next_stage(string store)
    {
        await using var server = await TestServer.StartAsync(store, longPoll: TimeSpan.FromSeconds(10));
        var (_, runner) = await server.RegisterRunnerAsync();
        Assert.StartsWith("glrt-", runner, StringComparison.Ordinal);

        var polling = server.RequestJobAsync(runner);
        await Task.Delay(300);
        Assert.False(polling.IsCompleted);
        var created = Stopwatch.StartNew();
        var pipeline = await server.CreatePipelineAsync(TwoStages);
        var job = await polling;
        created.Stop();
        Assert.NotNull(job);
        Assert.True(created.Elapsed < TimeSpan.FromSeconds(3), $"woke after {created.Elapsed}");
        Assert.Equal("build", job.JobInfo.Name);
        Assert.Equal(pipeline.Id, job.JobInfo.PipelineId);
        Assert.StartsWith("glcbt-", job.Token, StringComparison.Ordinal);
        Assert.Contains("gitlab-ci-token:" + job.Token + "@127.0.0.1", job.GitInfo.RepoUrl, StringComparison.Ordinal);
        Assert.Contains(job.Variables, v => v.Key == "CI_JOB_ID" && v.Value == job.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));

        using (var running = await server.UpdateJobAsync(job, "running"))
        {
            Assert.Equal(HttpStatusCode.OK, running.StatusCode);
            Assert.Equal("running", running.Headers.GetValues("Job-Status").Single());
            // A quiet job reports every 3 s, so a cancel reaches it within that (GitLab's default would be 30 s).
            Assert.Equal("3", running.Headers.GetValues("X-GitLab-Trace-Update-Interval").Single());
        }

        using (var first = await server.PatchTraceAsync(job, 0, "hello\n"))
        {
            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
            Assert.Equal("0-6", first.Headers.GetValues("Range").Single());
            Assert.Equal("3", first.Headers.GetValues("X-GitLab-Trace-Update-Interval").Single());
        }

        using (var wrong = await server.PatchTraceAsync(job, 3, "again\n"))
        {
            Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, wrong.StatusCode);
            Assert.Equal("0-6", wrong.Headers.GetValues("Range").Single());
        }

        using (var second = await server.PatchTraceAsync(job, 6, "world\n"))
        {
            Assert.Equal("0-12", second.Headers.GetValues("Range").Single());
        }

        Assert.Equal("hello\nworld\n", System.Text.Encoding.UTF8.GetString(await server.Host.Traces.ReadAsync(job.Id, default)));

        Assert.Empty(await server.Host.Stores.Pipelines.PendingJobsAsync(10));
        using (var done = await server.UpdateJobAsync(job, "success"))
        {
            Assert.Equal(HttpStatusCode.OK, done.StatusCode);
            Assert.Equal("success", done.Headers.GetValues("Job-Status").Single());
        }

        var next = await server.RequestJobAsync(runner);
        Assert.Equal("test", next?.JobInfo.Name);
        using var after = await server.UpdateJobAsync(job, "running");
        Assert.Equal(HttpStatusCode.Forbidden, after.StatusCode);
        Assert.Equal("success", after.Headers.GetValues("Job-Status").Single());
    }

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task A_failed_job_fails_the_pipeline_and_a_tagged_job_waits_for_a_matching_runner(string store)
    {
        await using var server = await TestServer.StartAsync(store, longPoll: TimeSpan.FromMilliseconds(200));
        var (_, plain) = await server.RegisterRunnerAsync();
        var (_, docker) = await server.RegisterRunnerAsync(tags: "docker,linux", runUntagged: false);
        var pipeline = await server.CreatePipelineAsync("""
            tagged:
              tags: [docker]
              script: [exit 3]
            """);

        Assert.Null(await server.RequestJobAsync(plain));
        var job = await server.RequestJobAsync(docker);
        Assert.Equal("tagged", job?.JobInfo.Name);
        using var failed = await server.UpdateJobAsync(job!, "failed", exitCode: 3, reason: "script_failure");
        Assert.Equal("failed", failed.Headers.GetValues("Job-Status").Single());
        var stored = await server.Host.Stores.Pipelines.GetJobAsync(job!.Id);
        Assert.Equal("script_failure", stored?.FailureReason);
        Assert.Equal(3, stored?.ExitCode);
        Assert.Equal(CiStatus.Failed, (await server.Host.Stores.Pipelines.GetPipelineAsync(pipeline.Id))?.Status);
    }

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task An_invalid_configuration_gives_a_failed_pipeline_with_its_diagnostics(string store)
    {
        await using var server = await TestServer.StartAsync(store);
        var pipeline = await server.CreatePipelineAsync("job: {script: [echo], needs: [nowhere]}");
        Assert.Equal(CiStatus.Failed, pipeline.Status);
        Assert.NotEmpty(pipeline.Diagnostics);
        var row = await server.Host.Stores.Pipelines.GetPipelineAsync(pipeline.Id);
        Assert.Contains("nowhere", row?.DiagnosticsJson, StringComparison.Ordinal);
        Assert.False(row?.HasState);
    }

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task A_canceled_job_shows_canceling_to_its_runner_and_ends_canceled(string store)
    {
        await using var server = await TestServer.StartAsync(store, longPoll: TimeSpan.FromMilliseconds(200));
        var (_, runner) = await server.RegisterRunnerAsync();
        var pipeline = await server.CreatePipelineAsync("slow: {script: [sleep 100]}");
        var job = (await server.RequestJobAsync(runner))!;
        await server.Host.Driver.ApplyAsync(pipeline.Id, new Engine.JobCancelRequested(DateTimeOffset.UtcNow, "slow"));

        using (var trace = await server.PatchTraceAsync(job, 0, "still going\n"))
        {
            Assert.Equal(HttpStatusCode.Accepted, trace.StatusCode);
            Assert.Equal("canceling", trace.Headers.GetValues("Job-Status").Single());
        }

        using (var update = await server.UpdateJobAsync(job, "running"))
        {
            Assert.Equal("canceling", update.Headers.GetValues("Job-Status").Single());
        }

        using (var final = await server.UpdateJobAsync(job, "failed", exitCode: 143, reason: "script_failure"))
        {
            Assert.Equal("canceled", final.Headers.GetValues("Job-Status").Single());
        }

        Assert.Equal(CiStatus.Canceled, (await server.Host.Stores.Pipelines.GetPipelineAsync(pipeline.Id))?.Status);
    }
}

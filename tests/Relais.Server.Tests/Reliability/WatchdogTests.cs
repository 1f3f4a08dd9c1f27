using System.Net;
using Microsoft.Extensions.Time.Testing;
using Relais.Protocol;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Reliability;

/// <summary>
/// The job watchdog on the real server: a job whose runner went silent fails with <c>runner_system_failure</c> and
/// <c>retry:</c> hands it to another runner; a runner that keeps talking is left alone; a job nobody takes fails with
/// <c>stuck_or_timeout_failure</c>; two coordinators on one database fail a silent job once.
/// </summary>
public sealed class WatchdogTests
{
    private const string RetriedJob = "build:\n  script: [make]\n  retry:\n    max: 2\n    when: [runner_system_failure]\n";

    private static Func<ServerOptions, ServerOptions> Timeouts(double heartbeat = 3, double pending = 3600) => o => o with
    {
        JobHeartbeatTimeout = TimeSpan.FromSeconds(heartbeat),
        JobPendingTimeout = TimeSpan.FromSeconds(pending),
        WatchdogInterval = TimeSpan.FromMilliseconds(200),
    };

    /// <summary>
    /// The timeouts on a fake clock, with the watchdog's own loop never firing: the test advances the clock and runs the
    /// passes itself (<see cref="Reliability.JobWatchdog.CheckAsync"/>), so nothing waits on real time.
    /// </summary>
    private static Func<ServerOptions, ServerOptions> OnFakeClock(FakeTimeProvider time, double heartbeat = 3, double pending = 3600) => o => Timeouts(heartbeat, pending)(o) with
    {
        Time = time,
        WatchdogInterval = Timeout.InfiniteTimeSpan,
    };

    private static FakeTimeProvider Clock() => new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task A_job_handed_out_moments_ago_counts_its_start_as_its_heartbeat_and_writes_none()
    {
        await using var server = await TestServer.StartAsync(Stores.Sqlite, longPoll: TimeSpan.FromMilliseconds(500));
        var (_, runner) = await server.RegisterRunnerAsync();
        await server.CreatePipelineAsync("build: {script: [make]}");
        var job = (await server.RequestJobAsync(runner))!;

        using (var running = await server.UpdateJobAsync(job, "running"))
        using (var patch = await server.PatchTraceAsync(job, 0, "hello\n"))
        {
            Assert.Equal(HttpStatusCode.Accepted, patch.StatusCode);
        }

        // The watchdog reads COALESCE(contacted_at, started_at): a heartbeat write this soon after the claim is waste.
        await using var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(server.DataDir, "relais.db")}");
        await db.OpenAsync();
        await using var query = db.CreateCommand();
        query.CommandText = $"SELECT contacted_at IS NULL AND started_at IS NOT NULL FROM jobs WHERE id = {job.Id}";
        Assert.Equal(1L, await query.ExecuteScalarAsync());
    }

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task A_silent_runner_loses_its_job_and_retry_gives_it_to_another_runner(string store)
    {
        var time = Clock();
        await using var server = await TestServer.StartAsync(store, longPoll: TimeSpan.FromMilliseconds(500), configure: OnFakeClock(time));
        var watchdog = server.Host.Reliability!.Watchdog;
        var (_, dead) = await server.RegisterRunnerAsync();
        var (_, alive) = await server.RegisterRunnerAsync();
        await server.CreatePipelineAsync(RetriedJob + "chatty:\n  script: [make]\n");

        var lost = await server.RequestJobAsync(dead);
        var kept = await server.RequestJobAsync(alive);
        Assert.NotNull(lost);
        Assert.NotNull(kept);
        var (silent, talking) = lost.JobInfo.Name == "build" ? (lost, kept) : (kept, lost);

        // One runner keeps patching its trace; the other never calls again. Within the 3 s timeout, both are kept.
        long offset = 0;
        async Task TickAsync()
        {
            time.Advance(TimeSpan.FromSeconds(1));
            using (var patch = await server.PatchTraceAsync(talking, offset, "tick\n"))
            {
                Assert.Equal(HttpStatusCode.Accepted, patch.StatusCode);
            }

            offset += 5;
            await watchdog.CheckAsync();
        }

        await TickAsync();
        await TickAsync();
        Assert.Single(await server.Host.Stores.Pipelines.JobsOfPipelineAsync(silent.JobInfo.PipelineId!.Value), j => j.Name == "build");

        // Past the timeout: the silent job fails and its retry waits; the talking runner keeps its job.
        await TickAsync();
        await TickAsync();
        var build = (await server.Host.Stores.Pipelines.JobsOfPipelineAsync(silent.JobInfo.PipelineId!.Value)).Where(j => j.Name == "build").ToList();
        Assert.Equal(2, build.Count);
        var retried = new JobRecordView(build[0].Status, build[0].FailureReason, build[1].Status);
        Assert.Equal(new JobRecordView(CiStatus.Failed, "runner_system_failure", CiStatus.Pending), retried);
        Assert.Equal(CiStatus.Running, (await server.Host.Stores.Pipelines.GetJobAsync(talking.Id))!.Status);
        Assert.Equal((1, 0), watchdog.Failed);

        // The late runner is told its job is over; another runner finishes the retry.
        using (var late = await server.UpdateJobAsync(silent, "success"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, late.StatusCode);
            Assert.Equal("failed", late.Headers.GetValues("Job-Status").Single());
        }

        var second = await server.RequestJobAsync(alive) ?? await server.RequestJobAsync(alive);
        Assert.NotNull(second);
        Assert.Equal("build", second.JobInfo.Name);
        (await server.UpdateJobAsync(second, "success")).Dispose();
        (await server.UpdateJobAsync(talking, "success")).Dispose();
        Assert.Equal(CiStatus.Success, (await server.Host.Stores.Pipelines.GetPipelineAsync(silent.JobInfo.PipelineId!.Value))!.Status);
    }

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task A_job_pending_too_long_fails_as_stuck(string store)
    {
        var time = Clock();
        await using var server = await TestServer.StartAsync(store, configure: OnFakeClock(time, heartbeat: 60, pending: 60));
        var watchdog = server.Host.Reliability!.Watchdog;
        var created = await server.CreatePipelineAsync("build:\n  script: [make]\n  tags: [nobody-has-this]\n");

        time.Advance(TimeSpan.FromSeconds(59));
        await watchdog.CheckAsync();
        Assert.Equal(CiStatus.Pending, (await server.Host.Stores.Pipelines.CurrentJobsAsync(created.Id)).Single().Status);

        time.Advance(TimeSpan.FromSeconds(2));
        await watchdog.CheckAsync();
        var job = (await server.Host.Stores.Pipelines.CurrentJobsAsync(created.Id)).Single();
        Assert.Equal((CiStatus.Failed, "stuck_or_timeout_failure"), (job.Status, job.FailureReason));
        Assert.Equal(CiStatus.Failed, (await server.Host.Stores.Pipelines.GetPipelineAsync(created.Id))!.Status);
        Assert.Equal((0, 1), watchdog.Failed);
    }

    [PostgresFact]
    public async Task Two_coordinators_fail_a_silent_job_once()
    {
        var time = Clock(); // one clock for both coordinators, as one wall clock would be
        await using var first = await TestServer.StartAsync(Stores.Postgres, longPoll: TimeSpan.FromMilliseconds(500), configure: OnFakeClock(time, heartbeat: 1));
        await using var second = await TestServer.StartAsync(
            Stores.Postgres, dataDir: first.DataDir, database: first.Database, longPoll: TimeSpan.FromMilliseconds(500), configure: OnFakeClock(time, heartbeat: 1));
        second.KeepData = true; // the first server drops the shared database
        var (_, runner) = await first.RegisterRunnerAsync();
        var created = await first.CreatePipelineAsync(RetriedJob);
        Assert.NotNull(await first.RequestJobAsync(runner));

        // Both watchdogs see the same silent job at once, several passes over; the first failure re-queues it, no other
        // pass may fail attempt 2.
        var (a, b) = (first.Host.Reliability!.Watchdog, second.Host.Reliability!.Watchdog);
        for (var pass = 0; pass < 3; pass++)
        {
            time.Advance(TimeSpan.FromSeconds(2));
            await Task.WhenAll(a.CheckAsync(), b.CheckAsync());
        }

        var attempts = await first.Host.Stores.Pipelines.JobsOfPipelineAsync(created.Id);
        Assert.Equal([CiStatus.Failed, CiStatus.Pending], attempts.Select(j => j.Status));
        Assert.Equal(1, a.Failed.RunnerLost + b.Failed.RunnerLost);
    }

    private sealed record JobRecordView(CiStatus FirstStatus, string? FirstReason, CiStatus SecondStatus);
}

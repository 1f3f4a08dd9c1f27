using System.Diagnostics;
using System.Net;
using Relais.Protocol;
using Relais.Server.Tests.Support;
using Xunit.Abstractions;

namespace Relais.Server.Tests.Reliability;

/// <summary>
/// The job watchdog on the real server: a job whose runner went silent fails with <c>runner_system_failure</c> and
/// <c>retry:</c> hands it to another runner; a runner that keeps talking is left alone; a job nobody takes fails with
/// <c>stuck_or_timeout_failure</c>; two coordinators on one database fail a silent job once.
/// </summary>
public sealed class WatchdogTests(ITestOutputHelper output)
{
    private const string RetriedJob = "build:\n  script: [make]\n  retry:\n    max: 2\n    when: [runner_system_failure]\n";

    private static Func<ServerOptions, ServerOptions> Timeouts(double heartbeat = 3, double pending = 3600) => o => o with
    {
        JobHeartbeatTimeout = TimeSpan.FromSeconds(heartbeat),
        JobPendingTimeout = TimeSpan.FromSeconds(pending),
        WatchdogInterval = TimeSpan.FromMilliseconds(200),
    };

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
        await using var server = await TestServer.StartAsync(store, longPoll: TimeSpan.FromMilliseconds(500), configure: Timeouts());
        var (_, dead) = await server.RegisterRunnerAsync();
        var (_, alive) = await server.RegisterRunnerAsync();
        await server.CreatePipelineAsync(RetriedJob + "chatty:\n  script: [make]\n");

        var lost = await server.RequestJobAsync(dead);
        var kept = await server.RequestJobAsync(alive);
        Assert.NotNull(lost);
        Assert.NotNull(kept);
        var (silent, talking) = lost.JobInfo.Name == "build" ? (lost, kept) : (kept, lost);
        var watch = Stopwatch.StartNew();

        // One runner keeps patching its trace; the other never calls again.
        long offset = 0;
        JobRecordView? retried = null;
        while (retried is null)
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), "the silent job was never failed");
            using (var patch = await server.PatchTraceAsync(talking, offset, "tick\n"))
            {
                Assert.Equal(HttpStatusCode.Accepted, patch.StatusCode);
            }

            offset += 5;
            await Task.Delay(300);
            var build = (await server.Host.Context.Store.JobsOfPipelineAsync(silent.JobInfo.PipelineId!.Value)).Where(j => j.Name == "build").ToList();
            if (build.Count == 2)
            {
                retried = new JobRecordView(build[0].Status, build[0].FailureReason, build[1].Status);
            }
        }

        output.WriteLine($"{store}: dead runner detected after {watch.Elapsed.TotalSeconds:0.0} s (heartbeat timeout 3 s, watchdog every 0.2 s)");
        Assert.Equal(new JobRecordView(CiStatus.Failed, "runner_system_failure", CiStatus.Pending), retried);
        Assert.Equal(CiStatus.Running, (await server.Host.Context.Store.GetJobAsync(talking.Id))!.Status);

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
        Assert.Equal(CiStatus.Success, (await server.Host.Context.Store.GetPipelineAsync(silent.JobInfo.PipelineId!.Value))!.Status);
    }

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task A_job_pending_too_long_fails_as_stuck(string store)
    {
        await using var server = await TestServer.StartAsync(store, configure: Timeouts(heartbeat: 60, pending: 1));
        var created = await server.CreatePipelineAsync("build:\n  script: [make]\n  tags: [nobody-has-this]\n");

        var watch = Stopwatch.StartNew();
        while ((await server.Host.Context.Store.CurrentJobsAsync(created.Id)).Single().Status == CiStatus.Pending)
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), "the stuck job was never failed");
            await Task.Delay(100);
        }

        var job = (await server.Host.Context.Store.CurrentJobsAsync(created.Id)).Single();
        Assert.Equal((CiStatus.Failed, "stuck_or_timeout_failure"), (job.Status, job.FailureReason));
        Assert.Equal(CiStatus.Failed, (await server.Host.Context.Store.GetPipelineAsync(created.Id))!.Status);
    }

    [PostgresFact]
    public async Task Two_coordinators_fail_a_silent_job_once()
    {
        await using var first = await TestServer.StartAsync(Stores.Postgres, longPoll: TimeSpan.FromMilliseconds(500), configure: Timeouts(heartbeat: 1));
        await using var second = await TestServer.StartAsync(
            Stores.Postgres, dataDir: first.DataDir, database: first.Database, longPoll: TimeSpan.FromMilliseconds(500), configure: Timeouts(heartbeat: 1));
        second.KeepData = true; // the first server drops the shared database
        var (_, runner) = await first.RegisterRunnerAsync();
        var created = await first.CreatePipelineAsync(RetriedJob);
        Assert.NotNull(await first.RequestJobAsync(runner));

        // Both watchdogs see the same silent job; the first failure re-queues it, the second must not fail attempt 2.
        var watch = Stopwatch.StartNew();
        while ((await first.Host.Context.Store.JobsOfPipelineAsync(created.Id)).Count < 2)
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), "the silent job was never failed");
            await Task.Delay(100);
        }

        await Task.Delay(1500); // several more watchdog passes on both coordinators
        var attempts = await first.Host.Context.Store.JobsOfPipelineAsync(created.Id);
        Assert.Equal([CiStatus.Failed, CiStatus.Pending], attempts.Select(j => j.Status));
        var failures = first.Host.Reliability!.Watchdog.Failed.RunnerLost + second.Host.Reliability!.Watchdog.Failed.RunnerLost;
        Assert.Equal(1, failures);
    }

    private sealed record JobRecordView(CiStatus FirstStatus, string? FirstReason, CiStatus SecondStatus);
}

using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Time.Testing;
using Relais.Protocol;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Reliability;

/// <summary>
/// What a coordinator keeps in memory is rebuilt from the database: a delayed job armed before a restart still becomes
/// pending; a resource group held before a restart is still held, and released to the next job afterwards, also across
/// two coordinators; a job queued on one coordinator reaches a runner long-polling the other; a stopping server answers
/// its long polls with 204.
/// </summary>
public sealed class RestartTests
{
    private const string Deploy = "deploy:\n  script: [echo deploy]\n  resource_group: production\n";

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task A_delayed_job_armed_before_a_restart_becomes_pending_after_it(string store)
    {
        // One fake clock for both coordinators: the job is due 2 s after it was created, whenever that is in real time.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        ServerOptions OnFakeClock(ServerOptions o) => o with { Time = time };
        string dir;
        string? database;
        long pipeline;
        await using (var first = await TestServer.StartAsync(store, configure: OnFakeClock))
        {
            first.KeepData = true;
            (dir, database) = (first.DataDir, first.Database);
            pipeline = (await first.CreatePipelineAsync("later:\n  script: [echo later]\n  when: delayed\n  start_in: 2 seconds\n")).Id;
            Assert.Equal(CiStatus.Scheduled, (await first.Host.Stores.Pipelines.CurrentJobsAsync(pipeline)).Single().Status);
        }

        await using var second = await TestServer.StartAsync(store, dir, database: database, configure: OnFakeClock);
        Assert.Equal(CiStatus.Scheduled, (await second.Host.Stores.Pipelines.CurrentJobsAsync(pipeline)).Single().Status);
        time.Advance(TimeSpan.FromSeconds(3));

        // The restarted coordinator re-arms the stored timer (at its start, on its own loop) and it fires on the advanced
        // clock; what is left to wait for is that work itself.
        var watch = Stopwatch.StartNew();
        while ((await second.Host.Stores.Pipelines.CurrentJobsAsync(pipeline)).Single().Status != CiStatus.Pending)
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), "the delayed job was not re-armed after the restart");
            await Task.Delay(50);
        }
    }

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task A_resource_group_held_before_a_restart_is_released_to_the_next_job_after_it(string store)
    {
        string dir;
        string? database;
        Protocol.Jobs.JobResponse holder;
        string runner;
        await using (var first = await TestServer.StartAsync(store, longPoll: TimeSpan.FromMilliseconds(300)))
        {
            first.KeepData = true;
            (dir, database) = (first.DataDir, first.Database);
            runner = (await first.RegisterRunnerAsync()).Token;
            await first.CreatePipelineAsync(Deploy);
            await first.CreatePipelineAsync(Deploy);
            holder = (await first.RequestJobAsync(runner))!;
            Assert.NotNull(holder);
            Assert.Null(await first.RequestJobAsync(runner));
        }

        await using var second = await TestServer.StartAsync(store, dir, database: database, longPoll: TimeSpan.FromMilliseconds(300));
        Assert.Null(await second.RequestJobAsync(runner)); // still held by the first deploy
        (await second.UpdateJobAsync(holder, "success")).Dispose();
        var next = await second.RequestJobAsync(runner) ?? await second.RequestJobAsync(runner);
        Assert.NotNull(next);
        Assert.NotEqual(holder.JobInfo.PipelineId, next.JobInfo.PipelineId);
    }

    [PostgresFact]
    public async Task Two_coordinators_share_resource_groups_and_wake_each_others_runners()
    {
        await using var a = await TestServer.StartAsync(Stores.Postgres, longPoll: TimeSpan.FromSeconds(20));
        await using var b = await TestServer.StartAsync(Stores.Postgres, dataDir: a.DataDir, database: a.Database, longPoll: TimeSpan.FromSeconds(20));
        b.KeepData = true;
        var runner = (await a.RegisterRunnerAsync()).Token;

        // A runner long-polling B gets a job A creates well before its hold ends (B looks again every second).
        var waiting = b.RequestJobAsync(runner);
        await Task.Delay(300);
        await a.CreatePipelineAsync(Deploy);
        var holder = await waiting;
        Assert.NotNull(holder);

        // B's deploy waits for the group A's job holds, whichever coordinator is asked.
        await b.CreatePipelineAsync(Deploy);
        var early = a.RequestJobAsync(runner);
        var late = await Task.WhenAny(early, Task.Delay(2000));
        Assert.NotSame(early, late);
        (await b.UpdateJobAsync(holder, "success")).Dispose();
        var next = await early ?? await a.RequestJobAsync(runner);
        Assert.NotNull(next);
        Assert.NotEqual(holder.JobInfo.PipelineId, next.JobInfo.PipelineId);
    }

    [PostgresFact]
    public async Task A_job_queued_on_one_coordinator_wakes_a_long_poll_on_the_other_through_notify()
    {
        static ServerOptions NoRecheck(ServerOptions o) => o with { QueueRecheck = Timeout.InfiniteTimeSpan };
        await using var a = await TestServer.StartAsync(Stores.Postgres, longPoll: TimeSpan.FromSeconds(40), configure: NoRecheck);
        await using var b = await TestServer.StartAsync(Stores.Postgres, dataDir: a.DataDir, database: a.Database, longPoll: TimeSpan.FromSeconds(40), configure: NoRecheck);
        b.KeepData = true;
        var runner = (await a.RegisterRunnerAsync()).Token;

        // B never looks again on its own here: only A's NOTIFY can wake its long poll before the 40 s hold ends.
        var waiting = b.RequestJobAsync(runner);
        await Task.Delay(1000); // B's listener is up and the request is waiting
        await a.CreatePipelineAsync("build: {script: [make]}\n");
        var first = await Task.WhenAny(waiting, Task.Delay(TimeSpan.FromSeconds(20)));
        Assert.Same(waiting, first);
        Assert.NotNull(await waiting);
    }

    [Fact]
    public async Task A_stopping_server_answers_its_long_polls_with_204()
    {
        var server = await TestServer.StartAsync(Stores.Sqlite, longPoll: TimeSpan.FromSeconds(60));
        try
        {
            var runner = (await server.RegisterRunnerAsync()).Token;
            var waiting = server.Http.PostAsync("api/v4/jobs/request", TestServer.Json($$$"""{"token":"{{{runner}}}"}"""));
            await Task.Delay(500);
            var stopping = server.Host.WaitForShutdownAsync(new CancellationToken(canceled: true));
            using var response = await waiting;
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            await stopping;
        }
        finally
        {
            await server.DisposeAsync();
        }
    }
}

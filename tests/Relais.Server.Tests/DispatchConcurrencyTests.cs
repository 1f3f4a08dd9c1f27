using System.Diagnostics;
using System.Net;
using System.Text;
using Relais.Protocol;
using Relais.Server.Tests.Support;
using Xunit.Abstractions;

namespace Relais.Server.Tests;

public sealed class DispatchConcurrencyTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task Twenty_jobs_among_eight_concurrent_requesters_are_each_dispatched_exactly_once(string store)
    {
        await using var server = await TestServer.StartAsync(store, longPoll: TimeSpan.FromMilliseconds(500));
        var runners = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            runners.Add((await server.RegisterRunnerAsync()).Token);
        }

        var yaml = new StringBuilder();
        for (var i = 0; i < 20; i++)
        {
            yaml.Append("job").Append(i).AppendLine(": {script: [echo]}");
        }

        var dispatched = 0;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        var polls = runners.Select(token => Task.Run(async () =>
        {
            var taken = new List<long>();
            while (Volatile.Read(ref dispatched) < 20 && DateTime.UtcNow < deadline)
            {
                if (await server.RequestJobAsync(token) is { } job)
                {
                    taken.Add(job.Id);
                    Interlocked.Increment(ref dispatched);
                }
            }

            return taken;
        })).ToList();
        await Task.Delay(100);
        await server.CreatePipelineAsync(yaml.ToString());
        var all = (await Task.WhenAll(polls)).SelectMany(t => t).ToList();

        Assert.Equal(20, all.Count);
        Assert.Equal(20, all.Distinct().Count());
        var jobs = await server.Host.Stores.Pipelines.CurrentJobsAsync(1);
        Assert.All(jobs, j => Assert.Equal(CiStatus.Running, j.Status));
    }

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task One_hundred_twenty_jobs_through_two_runners_with_four_slots_each_run_exactly_once(string store)
    {
        await using var server = await TestServer.StartAsync(store, longPoll: TimeSpan.FromMilliseconds(300));
        var runners = new[] { (await server.RegisterRunnerAsync()).Token, (await server.RegisterRunnerAsync()).Token };
        var yaml = new StringBuilder();
        for (var i = 0; i < 120; i++)
        {
            yaml.Append("job").Append(i).AppendLine(": {script: [echo]}");
        }

        await server.CreatePipelineAsync(yaml.ToString());
        var finished = 0;
        var clock = Stopwatch.StartNew();
        var slots = Enumerable.Range(0, 8).Select(slot => Task.Run(async () =>
        {
            var taken = new List<long>();
            while (Volatile.Read(ref finished) < 120 && clock.Elapsed < TimeSpan.FromSeconds(30))
            {
                if (await server.RequestJobAsync(runners[slot % 2]) is { } job)
                {
                    using var done = await server.UpdateJobAsync(job, "success", exitCode: 0);
                    Assert.Equal(HttpStatusCode.OK, done.StatusCode);
                    taken.Add(job.Id);
                    Interlocked.Increment(ref finished);
                }
            }

            return taken;
        })).ToList();
        var all = (await Task.WhenAll(slots)).SelectMany(t => t).ToList();
        clock.Stop();

        output.WriteLine($"{store}: 120 jobs requested and finished by 2 runners x 4 slots in {clock.ElapsedMilliseconds} ms = {120 / clock.Elapsed.TotalSeconds:F0} jobs/s");
        Assert.Equal(120, all.Distinct().Count());
        Assert.Equal(120, all.Count);
        Assert.Equal(CiStatus.Success, (await server.Host.Stores.Pipelines.GetPipelineAsync(1))?.Status);
    }
}

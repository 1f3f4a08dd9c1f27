using System.Text;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests;

public sealed class DispatchConcurrencyTests
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
        var jobs = await server.Host.Context.Store.CurrentJobsAsync(1);
        Assert.All(jobs, j => Assert.Equal("running", j.Status));
    }
}

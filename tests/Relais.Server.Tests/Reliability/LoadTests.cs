using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Relais.Protocol.Jobs;
using Relais.Server.Tests.Support;
using Xunit.Abstractions;

namespace Relais.Server.Tests.Reliability;

/// <summary>
/// Load on the real server over HTTP: a full queue drained by 8 concurrent runner agents (each job dispatched exactly
/// once; jobs/s, p99 request latency and managed memory are reported, not asserted), 200 concurrent trace streams with
/// every byte kept in order, and 50 clients polling live logs while jobs write them. The queue size is 500 in the
/// suite; <c>RELAIS_LOAD_JOBS</c> raises it (bench/dispatch-load.sh runs 5,000).
/// </summary>
public sealed class LoadTests(ITestOutputHelper output)
{
    private const int Agents = 8;
    private const int JobsPerPipeline = 10;

    private static int QueuedJobs => int.TryParse(Environment.GetEnvironmentVariable("RELAIS_LOAD_JOBS"), CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 500;

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task A_full_queue_drained_by_eight_agents_dispatches_every_job_exactly_once(string store)
    {
        await using var server = await TestServer.StartAsync(store, longPoll: TimeSpan.FromMilliseconds(500));
        var runners = new List<string>();
        for (var i = 0; i < Agents; i++)
        {
            runners.Add((await server.RegisterRunnerAsync()).Token);
        }

        var total = QueuedJobs;
        var yaml = string.Concat(Enumerable.Range(0, JobsPerPipeline).Select(i => $"job{i}: {{script: [echo]}}\n"));
        for (var p = 0; p < total / JobsPerPipeline; p++)
        {
            await server.CreatePipelineAsync(yaml);
        }

        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var dispatched = 0;
        var watch = Stopwatch.StartNew();
        var agents = runners.Select(token => Task.Run(async () =>
        {
            var taken = new List<(long Id, double Ms)>();
            while (Volatile.Read(ref dispatched) < total && watch.Elapsed < TimeSpan.FromMinutes(10))
            {
                var asked = Stopwatch.GetTimestamp();
                if (await server.RequestJobAsync(token) is not { } job)
                {
                    continue;
                }

                taken.Add((job.Id, Stopwatch.GetElapsedTime(asked).TotalMilliseconds));
                Interlocked.Increment(ref dispatched);
                using var done = await server.UpdateJobAsync(job, "success");
                Assert.Equal(HttpStatusCode.OK, done.StatusCode);
            }

            return taken;
        })).ToList();
        var all = (await Task.WhenAll(agents)).SelectMany(t => t).ToList();
        var elapsed = watch.Elapsed;
        var heapAfter = GC.GetTotalMemory(forceFullCollection: true);

        Assert.Equal(total, all.Count);
        Assert.Equal(total, all.Select(j => j.Id).Distinct().Count());
        var latencies = all.Select(j => j.Ms).Order().ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{store}: {total} jobs by {Agents} agents in {elapsed.TotalSeconds:0.0} s = {total / elapsed.TotalSeconds:0.0} jobs/s (request + final update); "
            + $"request→201 p50 {latencies[latencies.Count / 2]:0} ms, p99 {latencies[(int)(latencies.Count * 0.99)]:0} ms; "
            + $"managed heap {heapBefore / 1e6:0.0} MB before, {heapAfter / 1e6:0.0} MB after; test process RSS {Environment.WorkingSet / 1e6:0} MB"));
    }

    [Fact]
    public async Task Two_hundred_concurrent_trace_streams_keep_every_byte_in_order()
    {
        const int Streams = 200, Patches = 30;
        await using var server = await TestServer.StartAsync(Stores.Sqlite, longPoll: TimeSpan.FromMilliseconds(500));
        var jobs = await ClaimAsync(server, Streams);

        var writers = jobs.Select(job => Task.Run(async () =>
        {
            long offset = 0;
            var sent = new StringBuilder();
            for (var k = 0; k < Patches; k++)
            {
                var chunk = Chunk(job.Id, k);
                using var response = await server.PatchTraceAsync(job, offset, chunk);
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                offset += Encoding.UTF8.GetByteCount(chunk);
                sent.Append(chunk);
            }

            return (job.Id, Text: sent.ToString());
        })).ToList();

        foreach (var (id, text) in await Task.WhenAll(writers))
        {
            Assert.Equal(text, await File.ReadAllTextAsync(Path.Combine(server.DataDir, "traces", $"{id}.log")));
        }
    }

    [Fact]
    public async Task Fifty_clients_watching_live_logs_only_ever_see_a_growing_prefix()
    {
        const int Jobs = 5, WatchersPerJob = 10, Patches = 60;
        await using var server = await TestServer.StartAsync(Stores.Sqlite, longPoll: TimeSpan.FromMilliseconds(500));
        var jobs = await ClaimAsync(server, Jobs);
        var expected = jobs.ToDictionary(j => j.Id, j => string.Concat(Enumerable.Range(0, Patches).Select(k => Chunk(j.Id, k))));
        var project = (await server.Host.Stores.Pipelines.GetJobAsync(jobs[0].Id))!.ProjectId;

        var writers = jobs.Select(job => Task.Run(async () =>
        {
            long offset = 0;
            for (var k = 0; k < Patches; k++)
            {
                var chunk = Chunk(job.Id, k);
                (await server.PatchTraceAsync(job, offset, chunk)).Dispose();
                offset += chunk.Length;
                await Task.Delay(20);
            }
        })).ToList();
        var watchers = jobs.SelectMany(job => Enumerable.Range(0, WatchersPerJob).Select(_ => Task.Run(async () =>
        {
            using var http = new HttpClient { BaseAddress = server.Http.BaseAddress };
            http.DefaultRequestHeaders.Add("PRIVATE-TOKEN", TestServer.RootToken);
            var whole = expected[job.Id];
            var reads = 0;
            var seen = "";
            var watch = Stopwatch.StartNew();
            while (seen.Length < whole.Length)
            {
                Assert.True(watch.Elapsed < TimeSpan.FromMinutes(2), "a watcher never saw the whole log");
                var text = await http.GetStringAsync($"api/v4/projects/{project}/jobs/{job.Id}/trace");
                Assert.True(text.Length >= seen.Length && whole.StartsWith(text, StringComparison.Ordinal), $"job {job.Id}: a read was not a growing prefix of the log");
                seen = text;
                reads++;
                await Task.Delay(25);
            }

            return reads;
        }))).ToList();

        await Task.WhenAll(writers);
        var reads = await Task.WhenAll(watchers);
        output.WriteLine($"{Jobs * WatchersPerJob} watchers made {reads.Sum()} reads of {Jobs} live logs");
    }

    /// <summary>Creates pipelines for <paramref name="count"/> jobs and claims them all (so each has a job token).</summary>
    private static async Task<List<JobResponse>> ClaimAsync(TestServer server, int count)
    {
        var runner = (await server.RegisterRunnerAsync()).Token;
        var yaml = string.Concat(Enumerable.Range(0, JobsPerPipeline).Select(i => $"job{i}: {{script: [echo]}}\n"));
        for (var p = 0; p < (count + JobsPerPipeline - 1) / JobsPerPipeline; p++)
        {
            await server.CreatePipelineAsync(yaml);
        }

        var claims = Enumerable.Range(0, Agents).Select(_ => Task.Run(async () =>
        {
            var taken = new List<JobResponse>();
            while (await server.RequestJobAsync(runner) is { } job)
            {
                taken.Add(job);
            }

            return taken;
        }));
        var jobs = (await Task.WhenAll(claims)).SelectMany(t => t).Take(count).ToList();
        Assert.Equal(count, jobs.Count);
        return jobs;
    }

    private static string Chunk(long job, int k) => $"job {job} chunk {k:D4} " + new string((char)('a' + (k % 26)), 200) + "\n";
}

using System.Diagnostics;
using Relais.Protocol;
using Relais.Runner.Agent;
using Relais.Server.Tests.Support;
using Xunit.Abstractions;

namespace Relais.Server.Tests.Hostile;

/// <summary>
/// A real runner agent (shell executor) behind the same address as a client sending
/// junk tokens: its next job is taken and finished as fast as without the junk. The figures are printed, not asserted.
/// </summary>
public sealed class RateLimitRunnerTests(ITestOutputHelper output)
{
    private const string OneJob = """
        variables: { GIT_STRATEGY: none }
        job: { script: [echo hello] }
        """;

    [Fact]
    public async Task Sixty_junk_tokens_from_the_runners_address_do_not_delay_its_next_job()
    {
        // Long polls of 1 s, which the agent counts as long polls (longer than its check interval) and follows at once:
        // the request that takes a job after the junk was sent after the junk.
        await using var server = await TestServer.StartAsync(Stores.Sqlite, longPoll: TimeSpan.FromSeconds(1));
        var (_, token) = await server.RegisterRunnerAsync();
        await using (RunningAgent.Start(server, token, "ratelimit", new AgentTimings { CheckInterval = TimeSpan.FromMilliseconds(200) }))
        {
            await Task.Delay(1500); // the agent is long-polling
            await RunOneAsync(server); // warm-up
            var before = new List<(TimeSpan Taken, TimeSpan Done)>();
            var after = new List<(TimeSpan Taken, TimeSpan Done)>();
            for (var i = 0; i < 3; i++)
            {
                await Task.Delay(2500); // as below, without the junk
                before.Add(await RunOneAsync(server));
            }

            for (var i = 0; i < 3; i++)
            {
                var junk = await RateLimitProbe.SendJunkAsync(server.Http, 60);
                Assert.Contains(System.Net.HttpStatusCode.TooManyRequests, junk); // the address is over its limit
                await Task.Delay(2500); // the agent's long poll open during the junk (1 s, held longer on a busy machine) has ended: the next one came after
                after.Add(await RunOneAsync(server));
            }

            output.WriteLine($"real runner agent, pipeline created → job taken (ms): without junk {Ms(before, r => r.Taken)}; just after 60 junk tokens from its address {Ms(after, r => r.Taken)}");
            output.WriteLine($"pipeline created → job succeeded (ms): without junk {Ms(before, r => r.Done)}; after the junk {Ms(after, r => r.Done)}");
        }
    }

    private static string Ms(List<(TimeSpan Taken, TimeSpan Done)> runs, Func<(TimeSpan Taken, TimeSpan Done), TimeSpan> pick) =>
        string.Join(", ", runs.Select(r => pick(r).TotalMilliseconds.ToString("F0", System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>Creates a one-job pipeline; returns how long until the job was taken and until it succeeded (20 s at most: a 429 would cost a minute).</summary>
    private static async Task<(TimeSpan Taken, TimeSpan Done)> RunOneAsync(TestServer server)
    {
        var clock = Stopwatch.StartNew();
        var pipeline = await server.CreatePipelineAsync(OneJob);
        TimeSpan? taken = null;
        while (clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            var job = (await server.Host.Stores.Pipelines.JobsOfPipelineAsync(pipeline.Id)).Single();
            taken ??= job.Status == CiStatus.Pending ? null : clock.Elapsed;
            if (job.Status is CiStatus.Success or CiStatus.Failed or CiStatus.Canceled)
            {
                Assert.Equal(CiStatus.Success, job.Status);
                return (taken!.Value, clock.Elapsed);
            }

            await Task.Delay(10);
        }

        Assert.Fail($"the job was not done in 20 s (taken after {taken?.TotalMilliseconds.ToString("F0", System.Globalization.CultureInfo.InvariantCulture) ?? "never"} ms)");
        return default;
    }
}

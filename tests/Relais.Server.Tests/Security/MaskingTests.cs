using System.Net;
using System.Text;
using Relais.Protocol;
using Relais.Runner.Agent;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Security;

/// <summary>
/// Masked values never reach a stored trace, also when the job prints one in pieces that the real runner agent
/// ships in separate <c>PATCH /trace</c> calls (it sends what it has every 100 ms here; the job pauses a second
/// in the middle of the secret).
/// </summary>
public sealed class MaskingTests
{
    private const string Secret = "Split-Secret-Value-987";

    private const string Pipeline = """
        variables: { GIT_STRATEGY: none }
        job:
          script:
            - printf 'before '; printf '%s' "$SPLIT_ME" | cut -c1-9 | tr -d '\n'; sleep 1; printf '%s' "$SPLIT_ME" | cut -c10- | tr -d '\n'; echo ' after'
            - echo "whole $SPLIT_ME"
        """;

    [Fact]
    public async Task A_masked_value_split_across_trace_patches_is_masked_in_the_stored_trace()
    {
        await using var f = await SecurityFixture.StartAsync();
        var project = await f.ProjectAsync("demo", Pipeline);
        var (created, _) = await f.RestAsync(HttpMethod.Post, $"projects/{project}/variables", TestServer.RootToken, $$"""{"key":"SPLIT_ME","value":"{{Secret}}","masked":true}""");
        Assert.Equal(HttpStatusCode.Created, created);
        var (_, runnerToken) = await f.Server.RegisterRunnerAsync();
        var pipeline = await f.RunPipelineAsync(project);

        var builds = Path.Combine(f.Server.DataDir, "runner");
        var entry = new RunnerEntry { Name = "masking", Url = new Uri(f.Server.Host.ExternalUrl), Token = runnerToken, BuildsDir = Path.Combine(builds, "builds"), CacheDir = Path.Combine(builds, "cache") };
        var timings = new AgentTimings { CheckInterval = TimeSpan.FromMilliseconds(100), TraceInterval = TimeSpan.FromMilliseconds(100), KeepAliveInterval = TimeSpan.FromMilliseconds(200) };
        using var agent = new RunnerAgent(new AgentConfig { Concurrent = 1, ShutdownTimeout = TimeSpan.FromSeconds(10), Runners = [entry] }, timings, log: TextWriter.Null);
        using var stop = new CancellationTokenSource();
        using var abort = new CancellationTokenSource();
        var running = agent.RunAsync(stop.Token, abort.Token);
        try
        {
            var job = await WaitForFinishedJobAsync(f, pipeline, TimeSpan.FromSeconds(60));
            var trace = Encoding.UTF8.GetString(await f.Server.Host.Traces.ReadAsync(job.Id, default));
            Assert.True(job.Status == CiStatus.Success, $"{job.Status} ({job.FailureReason}):\n{trace}");
            Assert.True(trace.Contains("before [MASKED] after", StringComparison.Ordinal), trace);
            Assert.Contains("whole [MASKED]", trace, StringComparison.Ordinal);
            Assert.DoesNotContain(Secret, trace, StringComparison.Ordinal);
            Assert.DoesNotContain(Secret[..9], trace, StringComparison.Ordinal);
            Assert.DoesNotContain(Secret[9..], trace, StringComparison.Ordinal);
        }
        finally
        {
            await stop.CancelAsync();
            abort.CancelAfter(TimeSpan.FromSeconds(10));
            await running;
        }
    }

    private static async Task<Storage.JobRecord> WaitForFinishedJobAsync(SecurityFixture f, long pipeline, TimeSpan limit)
    {
        var until = DateTime.UtcNow + limit;
        while (true)
        {
            var job = (await f.Server.Host.Stores.Pipelines.JobsOfPipelineAsync(pipeline)).Single();
            if (job.Status is CiStatus.Success or CiStatus.Failed or CiStatus.Canceled || DateTime.UtcNow > until)
            {
                return job;
            }

            await Task.Delay(100);
        }
    }
}

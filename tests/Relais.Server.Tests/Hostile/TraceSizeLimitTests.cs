using System.Net;
using System.Text;
using Relais.Protocol;
using Relais.Server.Tests.Security;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Hostile;

/// <summary>
/// A job log has a size limit (<see cref="ServerOptions.MaxTraceSize"/>; 1 MiB here): the patch that crosses it is cut
/// there and followed by a note, and the job fails with <c>trace_size_exceeded</c> as GitLab drops it: that patch and
/// every later one is answered 403 (<c>Job-Status: failed</c>), which stops the runner's job.
/// </summary>
public sealed class TraceSizeLimitTests
{
    private const long Limit = 1024 * 1024;

    [Fact]
    public async Task A_runner_that_sends_more_than_the_trace_limit_gets_403_its_job_fails_and_the_log_says_it_was_cut()
    {
        var (server, job) = await ArtifactAttacks.RunningJobAsync(o => o with { MaxTraceSize = Limit });
        await using (server)
        {
            var chunk = new string('x', 600 * 1024);
            using (var first = await server.PatchTraceAsync(job, 0, chunk))
            {
                ArtifactAttacks.AssertStatus(HttpStatusCode.Accepted, first, await ArtifactAttacks.BodyAsync(first));
            }

            using (var crossing = await server.PatchTraceAsync(job, chunk.Length, chunk))
            {
                var body = await ArtifactAttacks.BodyAsync(crossing);
                ArtifactAttacks.AssertStatus(HttpStatusCode.Forbidden, crossing, body);
                Assert.Contains($"log exceeded limit of {Limit} bytes", body, StringComparison.Ordinal);
                Assert.Equal("failed", crossing.Headers.GetValues("Job-Status").Single());
            }

            var log = await server.Host.Traces.ReadAsync(job.Id, default);
            Assert.Equal(new string('x', (int)Limit), Encoding.ASCII.GetString(log, 0, (int)Limit));
            Assert.Contains($"Job's log exceeded limit of {Limit} bytes.", Encoding.UTF8.GetString(log, (int)Limit, log.Length - (int)Limit), StringComparison.Ordinal);

            var failed = (await server.Host.Stores.Pipelines.GetJobAsync(job.Id))!;
            Assert.Equal(CiStatus.Failed, failed.Status);
            Assert.Equal(FailureReasons.TraceSizeExceeded, failed.FailureReason);

            // Anything more, at any offset, is refused and changes nothing; nor can the runner turn the job into a success.
            foreach (var start in new long[] { 2 * chunk.Length, log.Length, 0 })
            {
                using var more = await server.PatchTraceAsync(job, start, "more\n");
                ArtifactAttacks.AssertStatus(HttpStatusCode.Forbidden, more, await ArtifactAttacks.BodyAsync(more));
            }

            Assert.Equal(log.Length, (await server.Host.Traces.ReadAsync(job.Id, default)).Length);
            using (var done = await server.UpdateJobAsync(job, "success"))
            {
                Assert.Equal(HttpStatusCode.Forbidden, done.StatusCode);
            }

            Assert.Equal(CiStatus.Failed, (await server.Host.Stores.Pipelines.GetJobAsync(job.Id))!.Status);
        }
    }

    [Fact]
    public async Task A_trace_that_ends_exactly_at_the_limit_is_not_cut()
    {
        var (server, job) = await ArtifactAttacks.RunningJobAsync(o => o with { MaxTraceSize = Limit });
        await using (server)
        {
            using var exact = await server.PatchTraceAsync(job, 0, new string('y', (int)Limit));
            ArtifactAttacks.AssertStatus(HttpStatusCode.Accepted, exact, await ArtifactAttacks.BodyAsync(exact));
            Assert.Equal(Limit, (await server.Host.Traces.ReadAsync(job.Id, default)).Length);
        }
    }

    [Fact]
    public async Task A_job_that_prints_more_than_the_trace_limit_is_stopped_and_failed_with_the_real_runner()
    {
        await using var f = await SecurityFixture.StartAsync(o => o with { MaxTraceSize = Limit });
        var project = await f.ProjectAsync("loud", "variables: { GIT_STRATEGY: none }\njob:\n  script:\n    - head -c 2000000 /dev/zero | tr '\\0' 'x'\n    - echo done\n");
        var (_, runnerToken) = await f.Server.RegisterRunnerAsync();
        var pipeline = await f.RunPipelineAsync(project);
        await using var agent = RunningAgent.Start(f.Server, runnerToken, "loud");
        var job = await f.Server.WaitForFinishedJobAsync(pipeline, TimeSpan.FromSeconds(60));
        var log = await f.Server.Host.Traces.ReadAsync(job.Id, default);
        var tail = Encoding.UTF8.GetString(log, (int)Math.Min(log.Length, Limit), (int)Math.Max(0, log.Length - Limit));
        Assert.True(job.Status == CiStatus.Failed && job.FailureReason == FailureReasons.TraceSizeExceeded, $"{job.Status} ({job.FailureReason}); log of {log.Length} bytes ends: {tail}");
        Assert.True(log.Length > Limit && log.Length < Limit + 1024, $"log of {log.Length} bytes");
        Assert.Contains($"Job's log exceeded limit of {Limit} bytes.", tail, StringComparison.Ordinal);
    }
}

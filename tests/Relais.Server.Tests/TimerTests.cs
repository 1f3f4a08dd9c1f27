using Relais.Protocol;
using Microsoft.Extensions.Time.Testing;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests;

/// <summary>The server acts on the engine's wake-ups: a delayed job becomes pending when its time comes.</summary>
public sealed class TimerTests
{
    [Fact]
    public async Task A_delayed_job_is_handed_out_once_its_start_in_has_passed()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        await using var server = await TestServer.StartAsync(Stores.Sqlite, longPoll: TimeSpan.FromSeconds(8), configure: o => o with { Time = time });
        var (_, runner) = await server.RegisterRunnerAsync();
        var created = await server.CreatePipelineAsync("later:\n  script: [echo later]\n  when: delayed\n  start_in: 2 seconds\n");

        time.Advance(TimeSpan.FromSeconds(1.5));
        Assert.Equal(CiStatus.Scheduled, (await server.Host.Stores.Pipelines.CurrentJobsAsync(created.Id)).Single().Status);

        time.Advance(TimeSpan.FromSeconds(1));
        var job = await server.RequestJobAsync(runner) ?? await server.RequestJobAsync(runner); // long polled: woken by the timer's transition
        Assert.NotNull(job);
        Assert.Equal("later", job.JobInfo.Name);
    }
}

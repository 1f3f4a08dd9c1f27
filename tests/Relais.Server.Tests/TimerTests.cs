using Relais.Server.Tests.Support;

namespace Relais.Server.Tests;

/// <summary>The server acts on the engine's wake-ups: a delayed job becomes pending when its time comes.</summary>
public sealed class TimerTests
{
    [Fact]
    public async Task A_delayed_job_is_handed_out_once_its_start_in_has_passed()
    {
        await using var server = await TestServer.StartAsync(Stores.Sqlite, longPoll: TimeSpan.FromSeconds(8));
        var (_, runner) = await server.RegisterRunnerAsync();
        var started = DateTimeOffset.UtcNow;
        await server.CreatePipelineAsync("later:\n  script: [echo later]\n  when: delayed\n  start_in: 2 seconds\n");

        var job = await server.RequestJobAsync(runner) ?? await server.RequestJobAsync(runner);
        Assert.NotNull(job);
        Assert.Equal("later", job.JobInfo.Name);
        Assert.True(DateTimeOffset.UtcNow - started >= TimeSpan.FromSeconds(1.5), "the delayed job was handed out before its time");
    }
}

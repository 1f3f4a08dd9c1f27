using Relais.Server.Tests.Support;

namespace Relais.Server.Tests;

/// <summary><c>resource_group</c> across pipelines: one job at a time, the next one once the first finishes.</summary>
public sealed class ResourceGroupTests
{
    [Fact]
    public async Task Jobs_of_one_resource_group_run_one_at_a_time_across_pipelines()
    {
        await using var server = await TestServer.StartAsync(Stores.Sqlite, longPoll: TimeSpan.FromSeconds(1));
        var (_, runner) = await server.RegisterRunnerAsync();
        const string yaml = "deploy:\n  script: [echo deploy]\n  resource_group: production\n";
        await server.CreatePipelineAsync(yaml);
        await server.CreatePipelineAsync(yaml);

        var first = await server.RequestJobAsync(runner);
        Assert.NotNull(first);
        Assert.Null(await server.RequestJobAsync(runner));

        (await server.UpdateJobAsync(first, "success")).Dispose();
        var second = await server.RequestJobAsync(runner) ?? await server.RequestJobAsync(runner);
        Assert.NotNull(second);
        Assert.NotEqual(first.JobInfo.PipelineId, second.JobInfo.PipelineId);
    }
}

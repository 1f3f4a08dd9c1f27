using Relais.Protocol;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Git;

/// <summary>A push to a branch auto-cancels the older pipelines still going there, by each one's workflow:auto_cancel rules.</summary>
public sealed class AutoCancelTests
{
    private static string Remote(TestServer server) => $"http://root:{TestServer.RootToken}@127.0.0.1:{server.Port}/root/demo.git";

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task A_new_push_cancels_the_older_pipeline_of_its_branch(string storeName)
    {
        await using var server = await TestServer.StartAsync(storeName, longPoll: TimeSpan.FromMilliseconds(200));
        var (_, runner) = await server.RegisterRunnerAsync();
        using var git = GitClient.Init();
        git.Write(".gitlab-ci.yml", """
            test: {stage: test, script: [sleep 60], interruptible: true}
            deploy: {stage: deploy, script: [echo deploy]}
            """);
        git.Commit("first");
        git.Ok("push", "--quiet", Remote(server), "main");
        var running = (await server.RequestJobAsync(runner))!;
        Assert.Equal("test", running.JobInfo.Name);

        git.Write("a.txt", "2");
        git.Commit("second");
        git.Ok("push", "--quiet", Remote(server), "main");
        var stores = server.Host.Stores;
        Assert.Equal(CiStatus.Canceling, (await stores.Pipelines.GetJobAsync(running.Id))!.Status);
        Assert.Equal(2, (await stores.Pipelines.GetPipelineStateAsync(1))!.State!.AutoCanceledBy);
        Assert.Equal(CiStatus.Pending, (await stores.Pipelines.GetPipelineAsync(2))!.Status);

        // Another branch is left alone.
        git.Ok("checkout", "--quiet", "-b", "feature");
        git.Write("b.txt", "3");
        git.Commit("third");
        git.Ok("push", "--quiet", Remote(server), "feature");
        Assert.Equal(CiStatus.Pending, (await stores.Pipelines.GetPipelineAsync(2))!.Status);
    }

    [Fact]
    public async Task A_started_job_that_is_not_interruptible_keeps_the_older_pipeline_going()
    {
        await using var server = await TestServer.StartAsync(Stores.Sqlite, longPoll: TimeSpan.FromMilliseconds(200));
        var (_, runner) = await server.RegisterRunnerAsync();
        using var git = GitClient.Init();
        git.Write(".gitlab-ci.yml", "deploy: {script: [sleep 60]}\n");
        git.Commit("first");
        git.Ok("push", "--quiet", Remote(server), "main");
        var running = (await server.RequestJobAsync(runner))!;

        git.Write("a.txt", "2");
        git.Commit("second");
        git.Ok("push", "--quiet", Remote(server), "main");
        var stores = server.Host.Stores;
        Assert.Equal(CiStatus.Running, (await stores.Pipelines.GetJobAsync(running.Id))!.Status);
        Assert.Equal(CiStatus.Running, (await stores.Pipelines.GetPipelineAsync(1))!.Status);
    }
}

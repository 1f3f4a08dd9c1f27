using System.Net;
using Relais.Protocol;
using Relais.Server.Environments;
using Relais.Server.Pipelines;
using Relais.Server.Storage;
using Relais.Server.Tests.Api;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Environments;

/// <summary>Stopping environments: the on_stop job played, at once without one or when forced, on branch deletion, and when auto_stop_in passed.</summary>
public sealed class EnvironmentStoppingTests
{
    /// <summary>A review app with its stop job (also the API's stop test's pipeline).</summary>
    internal const string ReviewApp = """
        stages: [deploy]
        deploy_review:
          stage: deploy
          script: [echo deploy]
          environment: { name: review/feature-x, on_stop: stop_review }
        stop_review:
          stage: deploy
          script: [echo stop]
          when: manual
          environment: { name: review/feature-x, action: stop }
        """;

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task Stopping_plays_the_on_stop_job_of_the_last_deployment_and_force_stops_at_once(string store)
    {
        await using var server = await TestServer.StartAsync(store);
        var pipeline = await server.CreatePipelineAsync(ReviewApp);
        var jobs = await server.Host.Stores.Pipelines.JobsOfPipelineAsync(pipeline.Id);
        Assert.Equal(CiStatus.Manual, jobs.Single(j => j.Name == "stop_review").Status);
        var environment = await DeployedAsync(server, "review/feature-x", "main", jobs.Single(j => j.Name == "deploy_review").Id, pipeline.Id);
        var stopper = Stopper(server);

        var outcome = await stopper.StopAsync(environment, null, force: false, CancellationToken.None);

        Assert.False(outcome.Stopped);
        var stopJob = await server.Host.Stores.Pipelines.GetJobAsync(outcome.StopJobId!.Value);
        Assert.Equal("stop_review", stopJob!.Name);
        Assert.Equal(CiStatus.Pending, stopJob.Status);
        Assert.Equal(EnvironmentStates.Stopping, (await server.Host.Stores.Environments.GetAsync(environment.Id))!.State);
        var again = await stopper.StopAsync((await server.Host.Stores.Environments.GetAsync(environment.Id))!, null, force: false, CancellationToken.None);
        Assert.Equal("The environment is already stopping.", again.Error);

        var forced = await stopper.StopAsync((await server.Host.Stores.Environments.GetAsync(environment.Id))!, null, force: true, CancellationToken.None);
        Assert.True(forced.Stopped);
        Assert.Equal(EnvironmentStates.Stopped, (await server.Host.Stores.Environments.GetAsync(environment.Id))!.State);
    }

    [Fact]
    public async Task An_environment_without_a_stop_job_stops_at_once_and_a_finished_stop_job_is_retried()
    {
        await using var server = await TestServer.StartAsync(Stores.Sqlite);
        var stopper = Stopper(server);
        var plain = await DeployedAsync(server, "staging", "main", null, null);
        Assert.True((await stopper.StopAsync(plain, null, force: false, CancellationToken.None)).Stopped);
        Assert.Equal(EnvironmentStates.Stopped, (await server.Host.Stores.Environments.GetAsync(plain.Id))!.State);
        Assert.True((await stopper.StopAsync((await server.Host.Stores.Environments.GetAsync(plain.Id))!, null, force: false, CancellationToken.None)).Stopped);

        // A stop job that already ran (the environment was deployed again since) runs again as a new attempt.
        var pipeline = await server.CreatePipelineAsync(ReviewApp.Replace("when: manual", "when: on_success", StringComparison.Ordinal));
        var (_, runner) = await server.RegisterRunnerAsync();
        for (var i = 0; i < 2; i++)
        {
            var job = await server.RequestJobAsync(runner);
            (await server.UpdateJobAsync(job!, "success")).Dispose();
        }

        var jobs = await server.Host.Stores.Pipelines.JobsOfPipelineAsync(pipeline.Id);
        Assert.All(jobs, j => Assert.Equal(CiStatus.Success, j.Status));
        await DeploymentFlow.EnvironmentAsync(server, "review/feature-x", e => e.State == EnvironmentStates.Stopped); // the stop job stopped it
        var review = await DeployedAsync(server, "review/feature-x", "main", jobs.Single(j => j.Name == "deploy_review").Id, pipeline.Id);
        var outcome = await stopper.StopAsync(review, null, force: false, CancellationToken.None);
        var retried = await server.Host.Stores.Pipelines.GetJobAsync(outcome.StopJobId!.Value);
        Assert.Equal(("stop_review", 2, CiStatus.Pending), (retried!.Name, retried.Attempt, retried.Status));
    }

    [Fact]
    public async Task Deleting_a_branch_by_the_API_or_by_a_push_stops_the_environments_it_deployed()
    {
        await using var repo = await RepositoryApiFixture.StartAsync();
        var server = repo.Api.Server;
        var fromBranch = await DeployedAsync(server, "review/feature-one", "feature/one", null, null, repo.Project);
        var fromMain = await DeployedAsync(server, "staging", "main", null, null, repo.Project);
        repo.Git.Ok("push", "--quiet", repo.Remote, repo.First + ":refs/heads/topic");
        var fromTopic = await DeployedAsync(server, "review/topic", "topic", null, null, repo.Project);

        var (deleted, _, _) = await repo.Api.SendAsync(HttpMethod.Delete, $"projects/{repo.Project}/repository/branches/feature%2Fone");
        Assert.Equal(HttpStatusCode.NoContent, deleted);
        repo.Git.Ok("push", "--quiet", repo.Remote, ":refs/heads/topic");

        var environments = server.Host.Stores.Environments;
        Assert.Equal(EnvironmentStates.Stopped, (await environments.GetAsync(fromBranch.Id))!.State);
        Assert.Equal(EnvironmentStates.Stopped, (await environments.GetAsync(fromTopic.Id))!.State);
        Assert.Equal(EnvironmentStates.Available, (await environments.GetAsync(fromMain.Id))!.State);
    }

    [Fact]
    public async Task An_environment_whose_auto_stop_time_passed_is_stopped_by_the_coordinator()
    {
        await using var server = await TestServer.StartAsync(Stores.Sqlite, configure: o => o with { AutoStopInterval = TimeSpan.FromMilliseconds(100) });
        var due = await DeployedAsync(server, "review/old", "main", null, null);
        var later = await DeployedAsync(server, "review/new", "main", null, null);
        var now = DateTimeOffset.UtcNow;
        await server.Host.Stores.Environments.SetAutoStopAtAsync(due.Id, now.AddMinutes(-1), now);
        await server.Host.Stores.Environments.SetAutoStopAtAsync(later.Id, now.AddDays(1), now);

        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        while ((await server.Host.Stores.Environments.GetAsync(due.Id))!.State != EnvironmentStates.Stopped && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal(EnvironmentStates.Stopped, (await server.Host.Stores.Environments.GetAsync(due.Id))!.State);
        Assert.Equal(EnvironmentStates.Available, (await server.Host.Stores.Environments.GetAsync(later.Id))!.State);
    }

    private static EnvironmentStopper Stopper(TestServer server) =>
        new(server.Host.Stores, new UserActions(server.Host.Stores.Pipelines, server.Host.Driver, TimeProvider.System), TimeProvider.System);

    /// <summary>An available environment whose last deployment (successful) came from <paramref name="gitRef"/>, by <paramref name="jobId"/> if given.</summary>
    private static async Task<EnvironmentRecord> DeployedAsync(TestServer server, string name, string gitRef, long? jobId, long? pipelineId, long? projectId = null)
    {
        var stores = server.Host.Stores;
        var project = projectId ?? (await stores.Projects.EnsureProjectAsync("root/demo", "main", DateTimeOffset.UtcNow)).Id;
        var environment = await stores.Environments.EnsureAsync(project, name, Relais.Pipelines.Context.EnvironmentSlug.Of(name), "development", DateTimeOffset.UtcNow);
        if (jobId is { } job)
        {
            await DeploymentFlow.SucceededAsync(server, job); // the pipeline made the job's deployment
        }
        else
        {
            await stores.Deployments.CreateAsync(new NewDeployment(project, environment.Id, jobId, pipelineId, gitRef, false, new string('a', 40), null, DeploymentStatuses.Success), DateTimeOffset.UtcNow);
        }

        await stores.Environments.SetStateAsync(environment.Id, EnvironmentStates.Available, DateTimeOffset.UtcNow); // deployed: available again
        return (await stores.Environments.GetAsync(environment.Id))!;
    }
}

using System.Net;
using Relais.Protocol;
using Relais.Server.Environments;
using Relais.Server.Storage;
using Relais.Server.Tests.Api;
using Relais.Server.Tests.Support;
using Relais.Server.Tests.Webhooks;
using static Relais.Server.Tests.Environments.DeploymentFlow;

namespace Relais.Server.Tests.Environments;

/// <summary>
/// GitLab's "prevent outdated deployment jobs" and rollback: an older pipeline's deploy job played after a newer one
/// deployed is failed with <c>failed_outdated_deployment_job</c> instead of reaching a runner (not when the project turns
/// it off); retrying an earlier successful deploy job is a rollback that runs (not when rollbacks are off); and the
/// deployment hooks of a job's deployment in GitLab's shape.
/// </summary>
public sealed class OutdatedDeploymentTests
{
    private const string ManualDeploy = "deploy:\n  script: [deploy]\n  environment: production\n  when: manual\n";
    private const string Deploy = "deploy:\n  script: [deploy]\n  environment: production\n";

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task An_older_pipelines_deploy_job_played_after_a_newer_one_deployed_is_dropped_as_outdated(string store)
    {
        await using var server = await TestServer.StartAsync(store, longPoll: TimeSpan.FromMilliseconds(200));
        var (_, runner) = await server.RegisterRunnerAsync();
        var older = await JobAsync(server, await PipelineAsync(server, ManualDeploy, sha: 'b'), "deploy");
        var newer = await JobAsync(server, await PipelineAsync(server, ManualDeploy, sha: 'c'), "deploy");
        await DeploymentAsync(server, older.Id, DeploymentStatuses.Created);
        await DeploymentAsync(server, newer.Id, DeploymentStatuses.Created);

        await RunAsync(server, runner, newer.Id);
        Assert.True((await JobActionAsync(server, older.Id, "play")).Status is HttpStatusCode.OK or HttpStatusCode.Created);
        Assert.Null(await server.RequestJobAsync(runner));
        var dropped = await server.Host.Stores.Pipelines.GetJobAsync(older.Id);
        Assert.Equal((CiStatus.Failed, OutdatedDeploymentCheck.Reason), (dropped!.Status, dropped.FailureReason));
        Assert.Equal("failed_outdated_deployment_job", (await CallAsync(server, HttpMethod.Get, $"projects/root%2Fdemo/jobs/{older.Id}")).Body.GetProperty("failure_reason").GetString());
        await DeploymentAsync(server, older.Id, DeploymentStatuses.Failed);

        // Turned off in the project's settings (GitLab's PUT /projects/:id): the next older job runs.
        var oldest = await JobAsync(server, await PipelineAsync(server, ManualDeploy, sha: 'd'), "deploy");
        var newest = await JobAsync(server, await PipelineAsync(server, ManualDeploy, sha: 'e'), "deploy");
        await DeploymentAsync(server, oldest.Id, DeploymentStatuses.Created);
        await RunAsync(server, runner, newest.Id);
        using (var form = new FormUrlEncodedContent([new("ci_forward_deployment_enabled", "false")]))
        {
            var (status, project) = await CallAsync(server, HttpMethod.Put, "projects/root%2Fdemo", form);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.False(project.GetProperty("ci_forward_deployment_enabled").GetBoolean());
            Assert.True(project.GetProperty("ci_forward_deployment_rollback_allowed").GetBoolean());
        }

        await RunAsync(server, runner, oldest.Id);
    }

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task Retrying_an_earlier_successful_deploy_job_rolls_back_unless_rollbacks_are_off(string store)
    {
        await using var server = await TestServer.StartAsync(store, longPoll: TimeSpan.FromMilliseconds(200));
        var (_, runner) = await server.RegisterRunnerAsync();
        var first = await PipelineAsync(server, Deploy, sha: 'b');
        var firstJob = await FinishNextAsync(server, runner);
        await PipelineAsync(server, Deploy, sha: 'c');
        await FinishNextAsync(server, runner);

        var (status, retried) = await JobActionAsync(server, firstJob.Id, "retry");
        Assert.Equal(HttpStatusCode.Created, status);
        var rollback = await RequestAsync(server, runner);
        Assert.Equal(retried.GetProperty("id").GetInt64(), rollback.Id);
        (await server.UpdateJobAsync(rollback, "success")).Dispose();
        var redeployed = await DeploymentAsync(server, rollback.Id, DeploymentStatuses.Success);
        var environment = await EnvironmentAsync(server, "production");
        var last = await server.Host.Stores.Deployments.LastAsync(environment.Id, DeploymentStatuses.Success);
        Assert.Equal((redeployed.Id, new string('b', 40), first), (last!.Id, last.Sha, last.PipelineId));

        // Rollbacks off: a retried job of an older pipeline than the last deployment's is dropped too.
        await PipelineAsync(server, Deploy, sha: 'd');
        var third = await FinishNextAsync(server, runner);
        using (var form = new FormUrlEncodedContent([new("ci_forward_deployment_rollback_allowed", "false")]))
        {
            Assert.Equal(HttpStatusCode.OK, (await CallAsync(server, HttpMethod.Put, "projects/root%2Fdemo", form)).Status);
        }

        var (_, again) = await JobActionAsync(server, rollback.Id, "retry");
        Assert.Null(await server.RequestJobAsync(runner));
        var refused = await server.Host.Stores.Pipelines.GetJobAsync(again.GetProperty("id").GetInt64());
        Assert.Equal((CiStatus.Failed, OutdatedDeploymentCheck.Reason), (refused!.Status, refused.FailureReason));
        Assert.NotEqual(third.Id, refused.Id);
    }

    [Fact]
    public async Task A_deploy_job_sends_deployment_hooks_with_the_environments_slug_and_tier()
    {
        await using var listener = new HookListener();
        await using var server = await WebhookServer.StartAsync(Stores.Sqlite, allowLocal: true);
        await WebhookServer.AddHookAsync(server, $$"""{"url":"{{listener.Url}}","push_events":false,"deployment_events":true}""");
        var (_, runner) = await server.RegisterRunnerAsync();
        await PipelineAsync(server, "deploy:\n  script: [d]\n  environment: { name: Stage Domain, url: https://stage.example.com }\n", sha: 'f');
        var job = await RequestAsync(server, runner);

        var running = await listener.NextAsync();
        Assert.Equal(("Deployment Hook", "running"), (running.Event, running.Body.GetProperty("status").GetString()));
        (await server.UpdateJobAsync(job, "success")).Dispose();
        var success = (await listener.NextAsync()).Body;
        Assert.Equal("success", success.GetProperty("status").GetString());
        Assert.Equal(job.Id, success.GetProperty("deployable_id").GetInt64());
        Assert.Equal(("Stage Domain", "stage-domain-ip33nk", "staging", "https://stage.example.com"), (
            success.GetProperty("environment").GetString(), success.GetProperty("environment_slug").GetString(),
            success.GetProperty("environment_tier").GetString(), success.GetProperty("environment_external_url").GetString()));
        Assert.Equal(("main", "ffffffff"), (success.GetProperty("ref").GetString(), success.GetProperty("short_sha").GetString()));
        var deployment = await server.Host.Stores.Deployments.FindByJobAsync(job.Id);
        Assert.Equal(deployment!.Id, success.GetProperty("deployment_id").GetInt64());
    }

    [PythonGitLabFact]
    public async Task Python_gitlab_reads_and_saves_the_forward_deployment_settings_of_a_project()
    {
        await using var server = await TestServer.StartAsync(Stores.Sqlite);
        var project = await server.Host.Stores.Projects.EnsureProjectAsync("root/demo", "main", DateTimeOffset.UtcNow);
        var result = await PythonGitLab.RunAsync(server.Host.ExternalUrl, TestServer.RootToken, """
            p = gl.projects.get("root/demo")
            before = [p.ci_forward_deployment_enabled, p.ci_forward_deployment_rollback_allowed]
            p.ci_forward_deployment_enabled = False
            p.ci_forward_deployment_rollback_allowed = False
            p.save()
            again = gl.projects.get("root/demo")
            print(json.dumps({"before": before, "after": [again.ci_forward_deployment_enabled, again.ci_forward_deployment_rollback_allowed]}))
            """);

        Assert.Equal([true, true], result.GetProperty("before").EnumerateArray().Select(e => e.GetBoolean()));
        Assert.Equal([false, false], result.GetProperty("after").EnumerateArray().Select(e => e.GetBoolean()));
        Assert.Equal(new DeploymentSettings(false, false), await server.Host.Stores.DeploymentSettings.GetAsync(project.Id));
    }

    /// <summary>Plays a manual job (when it is one), hands it to the runner and finishes it; its deployment succeeds.</summary>
    private static async Task RunAsync(TestServer server, string runner, long jobId)
    {
        if ((await server.Host.Stores.Pipelines.GetJobAsync(jobId))!.Status == CiStatus.Manual)
        {
            Assert.True((await JobActionAsync(server, jobId, "play")).Status is HttpStatusCode.OK or HttpStatusCode.Created);
        }

        var job = await RequestAsync(server, runner);
        Assert.Equal(jobId, job.Id);
        (await server.UpdateJobAsync(job, "success")).Dispose();
        await DeploymentAsync(server, jobId, DeploymentStatuses.Success);
    }

    private static async Task<Protocol.Jobs.JobResponse> FinishNextAsync(TestServer server, string runner)
    {
        var job = await RequestAsync(server, runner);
        (await server.UpdateJobAsync(job, "success")).Dispose();
        await DeploymentAsync(server, job.Id, DeploymentStatuses.Success);
        return job;
    }
}

using System.Net;
using Relais.Protocol;
using Relais.Server.Environments;
using Relais.Server.Storage;
using Relais.Server.Tests.Support;
using static Relais.Server.Tests.Environments.DeploymentFlow;
using static Relais.Server.Tests.Environments.ProtectedDeploymentFlow;

namespace Relais.Server.Tests.Environments;

/// <summary>
/// Protected environments hold real pipelines' jobs when a runner asks for them: a job of a pipeline whose user may not
/// deploy fails with <c>protected_environment_failure</c>; a deploy job to an environment that needs an approval waits
/// (its deployment <c>blocked</c>) until another allowed user approves it, and fails with <c>deployment_rejected</c>
/// when one rejects it.
/// </summary>
public sealed class ProtectedEnvironmentTests
{
    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task A_developers_deploy_to_a_protected_environment_fails_while_a_maintainers_and_an_allowed_users_run(string store)
    {
        await using var server = await TestServer.StartAsync(store, longPoll: TimeSpan.FromMilliseconds(200));
        var (_, runner) = await server.RegisterRunnerAsync();
        var users = await MembersAsync(server);
        await ProtectAsync(server);

        var developers = await JobAsync(server, await PipelineByAsync(server, Deploy, users["dev"]), "deploy");
        Assert.Null(await server.RequestJobAsync(runner));
        var failed = await server.Host.Stores.Pipelines.GetJobAsync(developers.Id);
        Assert.Equal((CiStatus.Failed, ProtectedEnvironmentCheck.Reason), (failed!.Status, failed.FailureReason));
        Assert.Equal("protected_environment_failure", (await CallAsync(server, HttpMethod.Get, $"projects/root%2Fdemo/jobs/{developers.Id}")).Body.GetProperty("failure_reason").GetString());
        await DeploymentAsync(server, developers.Id, DeploymentStatuses.Failed);

        var maintainers = await JobAsync(server, await PipelineByAsync(server, Deploy, users["maint"]), "deploy");
        Assert.Equal(maintainers.Id, (await RequestAsync(server, runner)).Id);

        // The developer named in the deploy access levels (PUT adds an entry): their next pipeline's job runs.
        var (status, updated) = await ApiAsync(server, HttpMethod.Put, "projects/root%2Fdemo/protected_environments/production",
            $$"""{"deploy_access_levels": [{"user_id": {{users["dev"].Id}}}]}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, updated.GetProperty("deploy_access_levels").GetArrayLength());
        var allowed = await JobAsync(server, await PipelineByAsync(server, Deploy, users["dev"], sha: 'b'), "deploy");
        Assert.Equal(allowed.Id, (await RequestAsync(server, runner)).Id);

        // A job with another action (stop) is held to the same rule.
        var stopper = await JobAsync(server, await PipelineByAsync(server, "stop:\n  script: [x]\n  environment: { name: production, action: stop }\n", users["maint2"]), "stop");
        Assert.Equal(stopper.Id, (await RequestAsync(server, runner)).Id);
        var level = updated.GetProperty("deploy_access_levels")[0].GetProperty("id").GetInt64();
        (status, _) = await ApiAsync(server, HttpMethod.Put, "projects/root%2Fdemo/protected_environments/production",
            $$"""{"deploy_access_levels": [{"id": {{level}}, "_destroy": true}]}""");
        Assert.Equal(HttpStatusCode.OK, status);
        var refused = await JobAsync(server, await PipelineByAsync(server, "stop:\n  script: [x]\n  environment: { name: production, action: stop }\n", users["maint2"], sha: 'c'), "stop");
        Assert.Null(await server.RequestJobAsync(runner));
        Assert.Equal(ProtectedEnvironmentCheck.Reason, (await server.Host.Stores.Pipelines.GetJobAsync(refused.Id))!.FailureReason);
    }

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task A_deploy_job_needing_an_approval_waits_refuses_self_approval_and_runs_once_another_maintainer_approves(string store)
    {
        await using var server = await TestServer.StartAsync(store, longPoll: TimeSpan.FromMilliseconds(200));
        var (_, runner) = await server.RegisterRunnerAsync();
        var users = await MembersAsync(server);
        await ProtectAsync(server, approvals: 1);

        var job = await JobAsync(server, await PipelineByAsync(server, Deploy, users["maint"]), "deploy");
        var deployment = await DeploymentAsync(server, job.Id, DeploymentStatuses.Blocked);
        Assert.Null(await server.RequestJobAsync(runner));
        Assert.Equal(CiStatus.Pending, (await server.Host.Stores.Pipelines.GetJobAsync(job.Id))!.Status);

        var (status, body) = await AnswerAsync(server, deployment.Id, "maint", "approved");
        Assert.Equal((HttpStatusCode.BadRequest, DeploymentApprovals.SelfApproval), (status, body.GetProperty("message").GetString()));
        (status, body) = await AnswerAsync(server, deployment.Id, "dev", "approved");
        Assert.Equal((HttpStatusCode.BadRequest, DeploymentApprovals.NoPermission), (status, body.GetProperty("message").GetString()));
        (status, body) = await AnswerAsync(server, deployment.Id, "maint2", "maybe");
        Assert.Equal((HttpStatusCode.BadRequest, "status does not have a valid value"), (status, body.GetProperty("error").GetString()));
        Assert.Null(await server.RequestJobAsync(runner));
        var (_, shown) = await CallAsync(server, HttpMethod.Get, $"projects/root%2Fdemo/deployments/{deployment.Id}");
        Assert.Equal(("blocked", 1, 0), (shown.GetProperty("status").GetString(), shown.GetProperty("pending_approval_count").GetInt32(), shown.GetProperty("approvals").GetArrayLength()));

        (status, body) = await AnswerAsync(server, deployment.Id, "maint2", "approved", "ship it");
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(("approved", "ship it", "maint2"), (body.GetProperty("status").GetString(), body.GetProperty("comment").GetString(), body.GetProperty("user").GetProperty("username").GetString()));
        Assert.Equal(DeploymentStatuses.Created, (await server.Host.Stores.Deployments.GetAsync(deployment.Id))!.Status);
        (_, shown) = await CallAsync(server, HttpMethod.Get, $"projects/root%2Fdemo/deployments/{deployment.Id}");
        Assert.Equal(("created", 0, "maint2"), (shown.GetProperty("status").GetString(), shown.GetProperty("pending_approval_count").GetInt32(), shown.GetProperty("approvals")[0].GetProperty("user").GetProperty("username").GetString()));

        var handed = await RequestAsync(server, runner);
        Assert.Equal(job.Id, handed.Id);
        await DeploymentAsync(server, job.Id, DeploymentStatuses.Running);
        (await server.UpdateJobAsync(handed, "success")).Dispose();
        await DeploymentAsync(server, job.Id, DeploymentStatuses.Success);
        (status, body) = await AnswerAsync(server, deployment.Id, "maint2", "approved");
        Assert.Equal((HttpStatusCode.BadRequest, DeploymentApprovals.NotBlocked), (status, body.GetProperty("message").GetString()));
    }

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task A_rejected_deployment_fails_its_job_with_deployment_rejected(string store)
    {
        await using var server = await TestServer.StartAsync(store, longPoll: TimeSpan.FromMilliseconds(200));
        var (_, runner) = await server.RegisterRunnerAsync();
        var users = await MembersAsync(server);
        await ProtectAsync(server, approvals: 2);

        var job = await JobAsync(server, await PipelineByAsync(server, Deploy, users["maint"]), "deploy");
        var deployment = await DeploymentAsync(server, job.Id, DeploymentStatuses.Blocked);
        var (status, _) = await AnswerAsync(server, deployment.Id, "maint2", "approved");
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Null(await server.RequestJobAsync(runner)); // one of two approvals

        // The pipeline's own user may reject (only approving is self-approval).
        var (rejected, body) = await AnswerAsync(server, deployment.Id, "maint", "rejected", "not today");
        Assert.Equal(HttpStatusCode.Created, rejected);
        Assert.Equal("rejected", body.GetProperty("status").GetString());
        var failed = await server.Host.Stores.Pipelines.GetJobAsync(job.Id);
        Assert.Equal((CiStatus.Failed, ProtectedEnvironmentCheck.RejectedReason), (failed!.Status, failed.FailureReason));
        await DeploymentAsync(server, job.Id, DeploymentStatuses.Failed);
        Assert.Null(await server.RequestJobAsync(runner));
        var answers = await server.Host.Stores.DeploymentApprovals.ListAsync(deployment.Id);
        Assert.Equal(["approved", "rejected"], answers.Select(a => a.Status));
    }
}

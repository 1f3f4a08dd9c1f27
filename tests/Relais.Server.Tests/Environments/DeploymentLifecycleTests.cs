using System.Net;
using System.Text.Json;
using Relais.Protocol;
using Relais.Server.Environments;
using Relais.Server.Storage;
using Relais.Server.Tests.Api;
using Relais.Server.Tests.Support;
using Relais.Server.Tests.Webhooks;
using static Relais.Server.Tests.Environments.DeploymentFlow;

namespace Relais.Server.Tests.Environments;

/// <summary>
/// Deployments made and moved by jobs, through real pipelines and the runner API: a deploy job makes its environment
/// (the expanded name) and a created deployment that follows the job to running and success, failed or canceled; the
/// success sets the environment's URL (also from the job's dotenv) and auto-stop time; a stop job stops its environment;
/// and a restart catches up with a job that finished while deployments were not followed.
/// </summary>
public sealed class DeploymentLifecycleTests
{
    private const string Review = """
        deploy:
          script: [deploy]
          environment:
            name: review/$CI_COMMIT_REF_SLUG
            url: https://$CI_COMMIT_REF_SLUG.example.com
            auto_stop_in: 2 hours 30 minutes
        """;

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task A_review_job_makes_its_environment_and_a_deployment_that_follows_the_job_to_success(string store)
    {
        await using var server = await TestServer.StartAsync(store, longPoll: TimeSpan.FromMilliseconds(200));
        var (_, runner) = await server.RegisterRunnerAsync();
        var pipeline = await PipelineAsync(server, Review, "feature-x", 'b');
        var row = await JobAsync(server, pipeline, "deploy");

        var created = await DeploymentAsync(server, row.Id, DeploymentStatuses.Created);
        var environment = await EnvironmentAsync(server, "review/feature-x");
        Assert.Equal((environment.Id, pipeline, "feature-x", new string('b', 40), false), (created.EnvironmentId, created.PipelineId, created.Ref, created.Sha, created.Tag));
        Assert.Equal(("review-feature-x-bjrazc", "https://feature-x.example.com", EnvironmentStates.Available), (environment.Slug, environment.ExternalUrl, environment.State));
        Assert.Equal("review", environment.Folder);

        var job = (await server.RequestJobAsync(runner))!;
        Assert.Equal(row.Id, job.Id);
        Assert.Contains(job.Variables, v => v.Key == "CI_ENVIRONMENT_NAME" && v.Value == "review/feature-x");
        await DeploymentAsync(server, job.Id, DeploymentStatuses.Running);
        (await server.UpdateJobAsync(job, "success")).Dispose();
        var done = await DeploymentAsync(server, job.Id, DeploymentStatuses.Success);
        Assert.NotNull(done.FinishedAt);
        environment = await EnvironmentAsync(server, "review/feature-x", e => e.AutoStopAt is not null);
        var stopIn = environment.AutoStopAt!.Value - done.FinishedAt!.Value;
        Assert.InRange(stopIn, TimeSpan.FromMinutes(149), TimeSpan.FromMinutes(151));
    }

    [Fact]
    public async Task Failed_and_canceled_jobs_fail_and_cancel_their_deployments_and_other_actions_make_none()
    {
        await using var server = await TestServer.StartAsync(Stores.Sqlite, longPoll: TimeSpan.FromMilliseconds(200));
        var (_, runner) = await server.RegisterRunnerAsync();
        var pipeline = await PipelineAsync(server, """
            one: { script: [a], environment: one }
            two: { script: [b], environment: two }
            look: { script: [c], environment: { name: one, action: verify } }
            """);
        var first = (await server.RequestJobAsync(runner))!;
        Assert.Equal("one", first.JobInfo.Name);
        var second = await JobAsync(server, pipeline, "two");
        await DeploymentAsync(server, second.Id, DeploymentStatuses.Created);
        Assert.Equal(HttpStatusCode.Created, (await JobActionAsync(server, second.Id, "cancel")).Status); // still pending: canceled at once
        (await server.UpdateJobAsync(first, "failed", 1, "script_failure")).Dispose();

        await DeploymentAsync(server, first.Id, DeploymentStatuses.Failed);
        await DeploymentAsync(server, second.Id, DeploymentStatuses.Canceled);
        var look = await JobAsync(server, pipeline, "look");
        await EnvironmentAsync(server, "two");
        Assert.Null(await server.Host.Stores.Deployments.FindByJobAsync(look.Id));
        var one = await EnvironmentAsync(server, "one");
        Assert.Null(await server.Host.Stores.Deployments.LastAsync(one.Id, DeploymentStatuses.Success));
    }

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task The_url_from_the_jobs_dotenv_becomes_the_environments_url_and_a_stop_job_stops_it(string store)
    {
        await using var server = await TestServer.StartAsync(store, longPoll: TimeSpan.FromMilliseconds(200));
        var (_, runner) = await server.RegisterRunnerAsync();
        await PipelineAsync(server, """
            stages: [deploy, stop]
            deploy:
              stage: deploy
              script: [deploy]
              environment: { name: staging, url: $DYNAMIC_URL, on_stop: halt }
              artifacts: { reports: { dotenv: deploy.env } }
            halt:
              stage: stop
              script: [halt]
              environment: { name: staging, action: stop }
            """);
        var deploy = (await server.RequestJobAsync(runner))!;
        using (var form = new MultipartFormDataContent { { new ByteArrayContent(Archives.Gzip("DYNAMIC_URL=https://dyn-42.example.com\n")), "file", ".env.gz" } })
        using (var request = new HttpRequestMessage(HttpMethod.Post, $"api/v4/jobs/{deploy.Id}/artifacts?artifact_type=dotenv&artifact_format=gzip") { Content = form })
        {
            request.Headers.Add("JOB-TOKEN", deploy.Token);
            using var upload = await server.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        }

        (await server.UpdateJobAsync(deploy, "success")).Dispose();
        await DeploymentAsync(server, deploy.Id, DeploymentStatuses.Success);
        await EnvironmentAsync(server, "staging", e => e.ExternalUrl == "https://dyn-42.example.com");

        var halt = (await server.RequestJobAsync(runner))!;
        Assert.Equal("halt", halt.JobInfo.Name);
        Assert.Contains(halt.Variables, v => v.Key == "CI_ENVIRONMENT_ACTION" && v.Value == "stop");
        (await server.UpdateJobAsync(halt, "success")).Dispose();
        await EnvironmentAsync(server, "staging", e => e.State == EnvironmentStates.Stopped);
        Assert.Null(await server.Host.Stores.Deployments.FindByJobAsync(halt.Id)); // a stop job deploys nothing
    }

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task A_restart_moves_a_deployment_whose_job_finished_while_deployments_were_not_followed(string store)
    {
        string dir;
        string? database;
        long jobId;
        await using (var first = await TestServer.StartAsync(store, longPoll: TimeSpan.FromMilliseconds(200)))
        {
            first.KeepData = true;
            (dir, database) = (first.DataDir, first.Database);
            var (_, runner) = await first.RegisterRunnerAsync();
            await PipelineAsync(first, "deploy: { script: [d], environment: production }");
            var job = await RequestAsync(first, runner);
            jobId = job.Id;
            await DeploymentAsync(first, jobId, DeploymentStatuses.Running);

            await first.Host.Deployments!.DisposeAsync(); // as if the server died right after storing the job's end
            (await first.UpdateJobAsync(job, "success")).Dispose();
            await Task.Delay(300);
            Assert.Equal(DeploymentStatuses.Running, (await first.Host.Stores.Deployments.FindByJobAsync(jobId))!.Status);
        }

        await using var second = await TestServer.StartAsync(store, dir, database: database);
        await DeploymentAsync(second, jobId, DeploymentStatuses.Success);
        await EnvironmentAsync(second, "production", e => e.State == EnvironmentStates.Available);
    }

    [PythonGitLabFact]
    public async Task A_deployment_made_and_moved_through_the_api_has_a_jobs_effects_hooks_and_an_available_environment()
    {
        await using var listener = new HookListener();
        await using var server = await WebhookServer.StartAsync(Stores.Sqlite, allowLocal: true);
        await WebhookServer.AddHookAsync(server, $$"""{"url":"{{listener.Url}}","push_events":false,"deployment_events":true}""");
        var result = await PythonGitLab.RunAsync(server.Host.ExternalUrl, TestServer.RootToken, """
            p = gl.projects.get("root/demo")
            e = p.environments.create({"name": "gitops"})
            e.stop()
            d = p.deployments.create({"environment": "gitops", "sha": "a" * 40, "ref": "main", "tag": False, "status": "running"})
            d.status = "success"
            d.save()
            print(json.dumps({"state": p.environments.get(e.id).state, "status": p.deployments.get(d.id).status, "id": d.id}))
            """);

        Assert.Equal(("available", "success"), (result.GetProperty("state").GetString(), result.GetProperty("status").GetString()));
        var running = (await listener.NextAsync()).Body;
        var success = (await listener.NextAsync()).Body;
        Assert.Equal(("running", "success"), (running.GetProperty("status").GetString(), success.GetProperty("status").GetString()));
        Assert.Equal(result.GetProperty("id").GetInt64(), success.GetProperty("deployment_id").GetInt64());
        Assert.Equal(JsonValueKind.Null, success.GetProperty("deployable_url").ValueKind);
        Assert.Equal(("gitops", "root"), (success.GetProperty("environment_slug").GetString(), success.GetProperty("user").GetProperty("username").GetString()));
    }

    [Fact]
    public void Job_statuses_map_to_deployment_statuses_as_gitlab_syncs_them()
    {
        Assert.Equal(DeploymentStatuses.Running, DeploymentStatusOf.Job(CiStatus.Running));
        Assert.Equal(DeploymentStatuses.Success, DeploymentStatusOf.Job(CiStatus.Success));
        Assert.Equal(DeploymentStatuses.Failed, DeploymentStatusOf.Job(CiStatus.Failed));
        Assert.Equal(DeploymentStatuses.Canceled, DeploymentStatusOf.Job(CiStatus.Canceled));
        Assert.Equal(DeploymentStatuses.Skipped, DeploymentStatusOf.Job(CiStatus.Skipped));
        Assert.All([CiStatus.Created, CiStatus.Pending, CiStatus.Manual, CiStatus.Scheduled, CiStatus.Canceling], s => Assert.Null(DeploymentStatusOf.Job(s)));
        Assert.False(DeploymentStatusOf.IsHooked(DeploymentStatuses.Created));
        Assert.False(DeploymentStatusOf.IsHooked(DeploymentStatuses.Skipped));
        Assert.True(DeploymentStatusOf.IsHooked(DeploymentStatuses.Canceled));
    }

    [Fact]
    public void Auto_stop_in_reads_gitlabs_durations_and_never()
    {
        var at = new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);
        Assert.Equal((false, at.AddDays(1)), AutoStopTime.Of("1 day", at));
        Assert.Equal((false, at.AddMinutes(150)), AutoStopTime.Of("2 hours 30 minutes", at));
        Assert.Equal((false, at.AddDays(7)), AutoStopTime.Of("1 week", at));
        Assert.Equal((false, (DateTimeOffset?)null), AutoStopTime.Of("never", at));
        Assert.Equal((true, (DateTimeOffset?)null), AutoStopTime.Of(null, at));
        Assert.Equal((true, (DateTimeOffset?)null), AutoStopTime.Of("soon", at));
    }
}

using System.Net;

namespace Relais.Server.Tests.Api;

public sealed class PipelineJobApiTests
{
    private const string Yaml = """
        stages: [build, deploy]
        build:
          stage: build
          script: [echo build]
        deploy:
          stage: deploy
          when: manual
          script: [echo deploy]
        """;

    [Fact]
    public async Task A_pipeline_runs_for_a_ref_and_its_manual_job_is_played_through_the_api()
    {
        await using var api = await ApiFixture.StartAsync();
        var project = await api.ProjectWithConfigAsync("demo", Yaml);
        var (_, runner) = await api.Server.RegisterRunnerAsync();
        var first = await api.RunPipelineAsync(project);
        var pipeline = await api.RunPipelineAsync(project);

        var (_, list, listResponse) = await api.GetAsync($"projects/{project}/pipelines");
        Assert.Equal(pipeline, list[0].GetProperty("id").GetInt64());
        Assert.Equal(first, list[1].GetProperty("id").GetInt64());
        Assert.Equal("2", listResponse.Headers.GetValues("X-Total").Single());
        Assert.Equal(0, (await api.GetAsync($"projects/{project}/pipelines?ref=other")).Json.GetArrayLength());
        Assert.Equal(2, (await api.GetAsync($"projects/{project}/pipelines?status=pending")).Json.GetArrayLength());

        var (_, detail, _) = await api.GetAsync($"projects/root%2Fdemo/pipelines/{pipeline}");
        Assert.Equal("main", detail.GetProperty("ref").GetString());
        Assert.Equal("api", detail.GetProperty("source").GetString());

        // Cancel the older one; it stops being pending.
        var (canceled, canceledBody, _) = await api.PostAsync($"projects/{project}/pipelines/{first}/cancel");
        Assert.Equal(HttpStatusCode.Created, canceled);
        Assert.Equal("canceled", canceledBody.GetProperty("status").GetString());

        var job = (await api.Server.RequestJobAsync(runner))!;
        Assert.Equal(pipeline, job.JobInfo.PipelineId);
        await api.Server.PatchTraceAsync(job, 0, "building\n");
        var (_, running, _) = await api.GetAsync($"projects/{project}/jobs/{job.Id}");
        Assert.Equal("running", running.GetProperty("status").GetString());
        Assert.Equal("build", running.GetProperty("stage").GetString());
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, running.GetProperty("runner").ValueKind);
        Assert.NotNull(running.GetProperty("started_at").GetString());
        var trace = await api.Server.Http.GetStringAsync($"api/v4/projects/{project}/jobs/{job.Id}/trace?private_token={Support.TestServer.RootToken}");
        Assert.Equal("building\n", trace);
        await api.Server.UpdateJobAsync(job, "success");

        var deploy = await api.JobNamedAsync(project, pipeline, "deploy");
        Assert.Equal("manual", deploy.GetProperty("status").GetString());
        var deployId = deploy.GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.NotFound, (await api.PostAsync($"projects/{project}/jobs/{deployId}/play", token: ApiFixture.AliceToken)).Status);
        var (played, playedBody, _) = await api.PostAsync($"projects/{project}/jobs/{deployId}/play");
        Assert.Equal(HttpStatusCode.Created, played);
        Assert.Equal("pending", playedBody.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await api.PostAsync($"projects/{project}/jobs/{deployId}/play")).Status);

        var next = (await api.Server.RequestJobAsync(runner))!;
        Assert.Equal("deploy", next.JobInfo.Name);
        await api.Server.UpdateJobAsync(next, "failed", exitCode: 1, reason: "script_failure");
        var (_, failed, _) = await api.GetAsync($"projects/{project}/jobs/{next.Id}");
        Assert.Equal("script_failure", failed.GetProperty("failure_reason").GetString());
        // A manual job may fail by default (GitLab's rule), so the pipeline passes with a warning.
        Assert.True(failed.GetProperty("allow_failure").GetBoolean());
        Assert.Equal("success", (await api.GetAsync($"projects/{project}/pipelines/{pipeline}")).Json.GetProperty("status").GetString());
        Assert.Equal(1, (await api.GetAsync($"projects/{project}/pipelines/{pipeline}/jobs?scope[]=failed")).Json.GetArrayLength());
        Assert.Equal(HttpStatusCode.BadRequest, (await api.GetAsync($"projects/{project}/pipelines/{pipeline}/jobs?scope[]=bogus")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"projects/{project}/jobs/{next.Id}/artifacts")).Status);
    }

    [Fact]
    public async Task Retry_makes_a_new_attempt_and_cancel_stops_a_running_job()
    {
        await using var api = await ApiFixture.StartAsync();
        var project = await api.ProjectWithConfigAsync("demo", "only: {script: [exit 1]}");
        var (_, runner) = await api.Server.RegisterRunnerAsync();
        var pipeline = await api.RunPipelineAsync(project);
        var job = (await api.Server.RequestJobAsync(runner))!;
        await api.Server.UpdateJobAsync(job, "failed", exitCode: 1, reason: "script_failure");

        var (retried, retry, _) = await api.PostAsync($"projects/{project}/jobs/{job.Id}/retry");
        Assert.Equal(HttpStatusCode.Created, retried);
        var newId = retry.GetProperty("id").GetInt64();
        Assert.NotEqual(job.Id, newId);
        Assert.Equal("pending", retry.GetProperty("status").GetString());
        Assert.Equal("pending", (await api.GetAsync($"projects/{project}/pipelines/{pipeline}")).Json.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await api.PostAsync($"projects/{project}/jobs/{job.Id}/retry")).Status);
        Assert.Equal(1, (await api.GetAsync($"projects/{project}/pipelines/{pipeline}/jobs")).Json.GetArrayLength());
        var (_, withRetried, _) = await api.GetAsync($"projects/{project}/pipelines/{pipeline}/jobs?include_retried=true");
        Assert.Equal(2, withRetried.GetArrayLength());
        Assert.Contains(withRetried.EnumerateArray(), j => j.GetProperty("retried").GetBoolean());

        var again = (await api.Server.RequestJobAsync(runner))!;
        Assert.Equal(newId, again.Id);
        var (canceled, cancel, _) = await api.PostAsync($"projects/{project}/jobs/{newId}/cancel");
        Assert.Equal(HttpStatusCode.Created, canceled);
        Assert.Equal("canceling", cancel.GetProperty("status").GetString());
        using (var update = await api.Server.UpdateJobAsync(again, "running"))
        {
            Assert.Equal("canceling", update.Headers.GetValues("Job-Status").Single());
        }

        await api.Server.UpdateJobAsync(again, "failed", exitCode: 143, reason: "script_failure");
        Assert.Equal("canceled", (await api.GetAsync($"projects/{project}/jobs/{newId}")).Json.GetProperty("status").GetString());

        var (_, pipelineRetry, _) = await api.PostAsync($"projects/{project}/pipelines/{pipeline}/retry");
        Assert.Equal("pending", pipelineRetry.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Pipeline_calls_answer_400_401_403_and_404()
    {
        await using var api = await ApiFixture.StartAsync();
        var (_, bare, _) = await api.PostAsync("projects", """{"name":"bare","visibility":"public"}""");
        var bareId = bare.GetProperty("id").GetInt64();
        var (noConfig, message, _) = await api.PostAsync($"projects/{bareId}/pipeline?ref=main");
        Assert.Equal(HttpStatusCode.BadRequest, noConfig);
        Assert.Contains("no CI configuration", message.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.PostAsync($"projects/{bareId}/pipeline")).Status);

        var project = await api.ProjectWithConfigAsync("demo", "job: {script: [echo]}");
        var pipeline = await api.RunPipelineAsync(project);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"projects/{project}/pipelines", ApiFixture.AliceToken)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.PostAsync($"projects/{project}/pipelines/{pipeline}/cancel", token: ApiFixture.AliceToken)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.PostAsync($"projects/{project}/pipelines/{pipeline}/cancel", token: null)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"projects/{project}/pipelines/999")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"projects/{bareId}/pipelines/{pipeline}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"projects/{project}/jobs/999")).Status);

        // Public project: alice reads but may not act.
        await api.SendAsync(HttpMethod.Put, $"projects/{project}", json: """{"visibility":"public"}""");
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"projects/{project}/pipelines", ApiFixture.AliceToken)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.PostAsync($"projects/{project}/pipelines/{pipeline}/cancel", token: ApiFixture.AliceToken)).Status);
        var job = await api.JobNamedAsync(project, pipeline, "job");
        Assert.Equal(HttpStatusCode.Forbidden, (await api.PostAsync($"projects/{project}/jobs/{job.GetProperty("id").GetInt64()}/retry", token: ApiFixture.AliceToken)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.PostAsync($"projects/{project}/pipeline?ref=main", token: ApiFixture.AliceToken)).Status);
    }
}

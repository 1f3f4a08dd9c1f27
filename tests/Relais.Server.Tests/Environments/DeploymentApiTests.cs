using System.Net;
using System.Text.Json;
using Relais.Server.Storage;
using Relais.Server.Tests.Api;
using Relais.Server.Tests.Support;
using Relais.Server.Tests.Triggers;

namespace Relais.Server.Tests.Environments;

/// <summary>
/// <c>/projects/:id/deployments</c> (issue #16): deployments made outside a job through python-gitlab (create, update,
/// list, get), job-made deployments (seeded through the store) with their <c>deployable</c> job, rollback by retrying an
/// earlier deployment's job, and GitLab's errors and roles over plain HTTP.
/// </summary>
public sealed class DeploymentApiTests
{
    private const string Yaml = "deploy: {stage: deploy, script: [echo deploying]}";

    [PythonGitLabFact]
    public async Task Python_gitlab_records_a_deployment_made_outside_a_job_and_moves_its_status()
    {
        await using var api = await ApiFixture.StartAsync();
        var project = await api.ProjectWithConfigAsync("demo", Yaml);
        var sha = new string('c', 40);

        var result = await PythonGitLab.RunAsync(api.Server.Host.ExternalUrl, TestServer.RootToken, $$"""
            p = gl.projects.get({{project}})
            d = p.deployments.create({"environment": "production", "sha": "{{sha}}", "ref": "main", "tag": False, "status": "running"})
            made = d.attributes
            d.status = "success"
            d.save()
            got = p.deployments.get(d.id).attributes
            listed = [x.iid for x in p.deployments.list(environment="production", status="success")]
            none = [x.iid for x in p.deployments.list(environment="production", status="failed")]
            env = p.environments.list(name="production")[0]
            env = p.environments.get(env.id).attributes
            print(json.dumps({"made": made, "got": got, "listed": listed, "none": none, "env": env}))
            """);

        var made = result.GetProperty("made");
        Assert.Equal("running", made.GetProperty("status").GetString());
        Assert.Equal(1, made.GetProperty("iid").GetInt32());
        Assert.Equal(JsonValueKind.Null, made.GetProperty("deployable").ValueKind);
        Assert.Equal(JsonValueKind.Null, made.GetProperty("finished_at").ValueKind);
        Assert.Equal("root", made.GetProperty("user").GetProperty("username").GetString());
        Assert.Equal(("production", "production"), (made.GetProperty("environment").GetProperty("name").GetString(), made.GetProperty("environment").GetProperty("tier").GetString()));
        var got = result.GetProperty("got");
        Assert.Equal(("success", sha, "main"), (got.GetProperty("status").GetString(), got.GetProperty("sha").GetString(), got.GetProperty("ref").GetString()));
        Assert.NotEqual(JsonValueKind.Null, got.GetProperty("finished_at").ValueKind);
        Assert.Equal([1], result.GetProperty("listed").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(0, result.GetProperty("none").GetArrayLength());
        var last = result.GetProperty("env").GetProperty("last_deployment");
        Assert.Equal(got.GetProperty("id").GetInt64(), last.GetProperty("id").GetInt64());
        Assert.False(last.TryGetProperty("environment", out _));
    }

    [PythonGitLabFact]
    public async Task Python_gitlab_rolls_back_by_retrying_the_job_of_an_earlier_deployment()
    {
        await using var api = await ApiFixture.StartAsync();
        var project = await api.ProjectWithConfigAsync("demo", Yaml);
        var (first, second) = await TwoJobDeploymentsAsync(api, project);

        var result = await PythonGitLab.RunAsync(api.Server.Host.ExternalUrl, TestServer.RootToken, $$"""
            p = gl.projects.get({{project}})
            ds = p.deployments.list(environment="staging", status="success", order_by="id", sort="desc")
            earlier = ds[1]
            job = p.jobs.get(earlier.deployable["id"], lazy=True)
            retried = job.retry()
            print(json.dumps({"iids": [x.iid for x in ds], "deployable": earlier.deployable, "retried": retried}))
            """);

        Assert.Equal([2, 1], result.GetProperty("iids").EnumerateArray().Select(e => e.GetInt32()));
        var deployable = result.GetProperty("deployable");
        Assert.Equal(first.JobId, deployable.GetProperty("id").GetInt64());
        Assert.Equal(first.PipelineId, deployable.GetProperty("pipeline").GetProperty("id").GetInt64());
        Assert.Equal("deploy", deployable.GetProperty("name").GetString());
        var retried = result.GetProperty("retried");
        Assert.Equal("deploy", retried.GetProperty("name").GetString());
        Assert.Equal(first.PipelineId, retried.GetProperty("pipeline").GetProperty("id").GetInt64());
        Assert.NotEqual(first.JobId, retried.GetProperty("id").GetInt64());
        Assert.NotEqual(second.JobId, retried.GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task Deployments_answer_GitLabs_errors_and_keep_the_current_and_running_ones()
    {
        await using var api = await ApiFixture.StartAsync();
        var project = await api.ProjectWithConfigAsync("demo", Yaml);
        var (first, second) = await TwoJobDeploymentsAsync(api, project);
        var route = $"projects/{project}/deployments";
        var running = (await api.PostAsync(route, """{"environment":"staging","sha":"abc","ref":"main","tag":false,"status":"running"}""")).Json.GetProperty("id").GetInt64();
        await TriggerApiTests.AddAliceAsync(api, project, 30);

        var putJobs = await api.SendAsync(HttpMethod.Put, $"{route}/{second.Id}", json: """{"status":"failed"}""");
        var missing = await api.PostAsync(route, """{"environment":"staging","ref":"main"}""");
        var badStatus = await api.PostAsync(route, """{"environment":"staging","sha":"abc","ref":"main","tag":false,"status":"created"}""");
        var badEnvironment = await api.PostAsync(route, """{"environment":"/bad","sha":"abc","ref":"main","tag":false,"status":"success"}""");
        var unpaired = await api.GetAsync(route + "?finished_after=2026-01-01T00:00:00Z&status=success");
        var both = await api.GetAsync(route + "?finished_after=2026-01-01T00:00:00Z&updated_after=2026-01-01T00:00:00Z");
        var deleteRunning = await api.SendAsync(HttpMethod.Delete, $"{route}/{running}");
        var deleteCurrent = await api.SendAsync(HttpMethod.Delete, $"{route}/{second.Id}");
        var deleteAsDeveloper = await api.SendAsync(HttpMethod.Delete, $"{route}/{first.Id}", ApiFixture.AliceToken);
        var deleted = await api.SendAsync(HttpMethod.Delete, $"{route}/{first.Id}");
        var mergeRequests = await api.GetAsync($"{route}/{second.Id}/merge_requests");
        var gone = await api.GetAsync($"{route}/{first.Id}");

        Assert.Equal((HttpStatusCode.Forbidden, "403 Forbidden - Deployments created using GitLab CI can not be updated using the API"), (putJobs.Status, putJobs.Json.GetProperty("message").GetString()));
        Assert.Equal("sha is missing, tag is missing, status is missing", missing.Json.GetProperty("error").GetString());
        Assert.Equal("status does not have a valid value", badStatus.Json.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, badEnvironment.Status);
        Assert.Equal("400 Bad request - `finished_at` filter and `finished_at` sorting must be paired", unpaired.Json.GetProperty("message").GetString());
        Assert.Equal("400 Bad request - Both `updated_at` filter and `finished_at` filter can not be specified", both.Json.GetProperty("message").GetString());
        Assert.Equal((HttpStatusCode.BadRequest, "Cannot destroy running deployment"), (deleteRunning.Status, deleteRunning.Json.GetProperty("message").GetString()));
        Assert.Equal((HttpStatusCode.BadRequest, "Deployment currently deployed to environment"), (deleteCurrent.Status, deleteCurrent.Json.GetProperty("message").GetString()));
        Assert.Equal(HttpStatusCode.Forbidden, deleteAsDeveloper.Status);
        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.Equal((HttpStatusCode.OK, 0), (mergeRequests.Status, mergeRequests.Json.GetArrayLength()));
        Assert.Equal((HttpStatusCode.NotFound, "404 Not found"), (gone.Status, gone.Json.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task The_list_filters_orders_and_pages_like_GitLab()
    {
        await using var api = await ApiFixture.StartAsync();
        var project = await api.ProjectWithConfigAsync("demo", Yaml);
        var route = $"projects/{project}/deployments";
        foreach (var (environment, status) in (List<(string, string)>)[("staging", "success"), ("production", "failed"), ("staging", "running")])
        {
            await api.PostAsync(route, $$"""{"environment":"{{environment}}","sha":"abc","ref":"main","tag":false,"status":"{{status}}"}""");
        }

        var (_, page, response) = await api.GetAsync(route + "?sort=desc&per_page=2");
        var staging = (await api.GetAsync(route + "?environment=staging")).Json;
        var finished = (await api.GetAsync(route + "?status=success&order_by=finished_at&finished_after=2000-01-01T00:00:00Z")).Json;
        var unknown = (await api.GetAsync(route + "?environment=nowhere")).Json;

        Assert.Equal([3, 2], page.EnumerateArray().Select(d => d.GetProperty("iid").GetInt32()));
        Assert.Equal("3", response.Headers.GetValues("X-Total").Single());
        Assert.Contains("rel=\"next\"", response.Headers.GetValues("Link").Single(), StringComparison.Ordinal);
        Assert.Equal([1, 3], staging.EnumerateArray().Select(d => d.GetProperty("iid").GetInt32()));
        Assert.Equal([1], finished.EnumerateArray().Select(d => d.GetProperty("iid").GetInt32()));
        Assert.Equal(0, unknown.GetArrayLength());
    }

    [Theory]
    [InlineData(20, HttpStatusCode.OK, HttpStatusCode.Forbidden)]
    [InlineData(30, HttpStatusCode.OK, HttpStatusCode.Created)]
    public async Task Reporters_read_and_Developers_record_deployments(int level, HttpStatusCode read, HttpStatusCode create)
    {
        await using var api = await ApiFixture.StartAsync();
        var project = await api.ProjectWithConfigAsync("demo", Yaml);
        var route = $"projects/{project}/deployments";
        var id = (await api.PostAsync(route, """{"environment":"staging","sha":"abc","ref":"main","tag":false,"status":"running"}""")).Json.GetProperty("id").GetInt64();
        await TriggerApiTests.AddAliceAsync(api, project, level);

        Assert.Equal(read, (await api.GetAsync($"{route}/{id}", ApiFixture.AliceToken)).Status);
        Assert.Equal(create, (await api.PostAsync(route, """{"environment":"staging","sha":"abc","ref":"main","tag":false,"status":"running"}""", ApiFixture.AliceToken)).Status);
        Assert.Equal(create == HttpStatusCode.Created ? HttpStatusCode.OK : HttpStatusCode.Forbidden,
            (await api.SendAsync(HttpMethod.Put, $"{route}/{id}", ApiFixture.AliceToken, """{"status":"success"}""")).Status);
    }

    [Fact]
    public async Task A_job_token_records_a_deployment_in_its_own_project_but_not_in_another()
    {
        await using var api = await ApiFixture.StartAsync();
        var own = await api.ProjectWithConfigAsync("own", Yaml);
        var other = await api.ProjectWithConfigAsync("other", Yaml);
        var (_, runner) = await api.Server.RegisterRunnerAsync();
        await api.RunPipelineAsync(own);
        var job = (await api.Server.RequestJobAsync(runner))!;
        const string Body = """{"environment":"gitops","sha":"abc","ref":"main","tag":false,"status":"success"}""";

        var created = await EnvironmentApiTests.JobTokenAsync(api, HttpMethod.Post, $"projects/{own}/deployments", job.Token, Body);
        var refused = await EnvironmentApiTests.JobTokenAsync(api, HttpMethod.Post, $"projects/{other}/deployments", job.Token, Body);

        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal(HttpStatusCode.Forbidden, refused);
        var recorded = Assert.Single((await api.GetAsync($"projects/{own}/deployments")).Json.EnumerateArray());
        Assert.Equal("root", recorded.GetProperty("user").GetProperty("username").GetString());
    }

    /// <summary>Runs the deploy job in two pipelines to success and records each as a successful deployment to <c>staging</c> (as the lifecycle does).</summary>
    private static async Task<(DeploymentRecord First, DeploymentRecord Second)> TwoJobDeploymentsAsync(ApiFixture api, long project)
    {
        var (_, runner) = await api.Server.RegisterRunnerAsync();
        var stores = api.Server.Host.Stores;
        var staging = await stores.Environments.EnsureAsync(project, "staging", "staging", "staging", DateTimeOffset.UtcNow);
        var made = new List<DeploymentRecord>();
        for (var i = 0; i < 2; i++)
        {
            var pipeline = await api.RunPipelineAsync(project);
            var job = (await api.Server.RequestJobAsync(runner))!;
            await api.Server.UpdateJobAsync(job, "success");
            var row = (await stores.Pipelines.GetPipelineAsync(pipeline))!;
            var d = await stores.Deployments.CreateAsync(
                new NewDeployment(project, staging.Id, job.Id, pipeline, row.Ref, false, row.Sha, row.UserId, DeploymentStatuses.Running), DateTimeOffset.UtcNow);
            await stores.Deployments.UpdateStatusAsync(d.Id, DeploymentStatuses.Success, DateTimeOffset.UtcNow);
            made.Add((await stores.Deployments.GetAsync(d.Id))!);
        }

        return (made[0], made[1]);
    }
}

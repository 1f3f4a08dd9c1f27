using System.Net;
using System.Text.Json;
using Relais.Protocol;
using Relais.Protocol.Jobs;
using Relais.Server.Storage;
using Relais.Server.Tests.Git;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Api;

/// <summary>
/// Child and multi-project pipelines created by the coordinator (issue #14): a bridge job (<c>trigger:</c>) never reaches a
/// runner; its downstream pipeline is created as GitLab does, with <c>strategy: depend</c> mirrored, and shown by
/// <c>GET /pipelines/:id/bridges</c>. Real git pushes, real jobs driven through the runner API, python-gitlab for the list.
/// </summary>
public sealed class DownstreamPipelineTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [PythonGitLabFact]
    public async Task A_local_child_pipeline_runs_with_the_bridges_variables_and_the_depend_bridge_mirrors_it()
    {
        await using var api = await ApiFixture.StartAsync();
        var (_, runner) = await api.Server.RegisterRunnerAsync();
        using var git = GitClient.Init();
        git.Write(".gitlab-ci.yml", """
            child:
              variables:
                PARENT_PIPELINE_ID: $CI_PIPELINE_ID
                GREETING: hello from the parent
              trigger:
                include: ci/child.yml
                strategy: depend
            """);
        git.Write("ci/child.yml", "child-job: {script: [echo $GREETING]}\n");
        git.Commit("parent and child");
        git.Ok("push", "--quiet", Remote(api.Server), "main");
        var parent = (await api.Server.Host.Stores.Pipelines.ListPipelinesAsync(1, new ListQuery([], 0, 10))).Items.Min(p => p.Id); // the push's (its child may exist already)

        var job = await NextJobAsync(api.Server, runner);

        Assert.Equal("child-job", job.JobInfo.Name); // the bridge itself is never handed out
        var child = job.JobInfo.PipelineId!.Value;
        Assert.NotEqual(parent, child);
        Assert.Equal("parent_pipeline", Variable(job, "CI_PIPELINE_SOURCE"));
        Assert.Equal("hello from the parent", Variable(job, "GREETING"));
        Assert.Equal(parent.ToString(System.Globalization.CultureInfo.InvariantCulture), Variable(job, "PARENT_PIPELINE_ID"));
        Assert.Equal(CiStatus.Running, (await BridgeAsync(api, parent)).Status);
        var (_, detail, _) = await api.GetAsync($"projects/1/pipelines/{child}");
        Assert.Equal("parent_pipeline", detail.GetProperty("source").GetString());

        (await api.Server.UpdateJobAsync(job, "success")).Dispose();

        await WaitForAsync(async () => (await api.Server.Host.Stores.Pipelines.GetPipelineAsync(parent))!.Status == CiStatus.Success);
        var output = await PythonGitLab.RunAsync(api.Server.Host.ExternalUrl, TestServer.RootToken, $$"""
            p = gl.projects.get("root/demo")
            bridges = p.pipelines.get({{parent}}).bridges.list(get_all=True)
            print(json.dumps([{"name": b.name, "status": b.status, "downstream": b.downstream_pipeline["id"], "source": b.downstream_pipeline["source"]} for b in bridges]))
            """);
        var bridge = Assert.Single(output.EnumerateArray());
        Assert.Equal(("child", "success", child), (bridge.GetProperty("name").GetString(), bridge.GetProperty("status").GetString(), bridge.GetProperty("downstream").GetInt64()));
        Assert.Equal("parent_pipeline", bridge.GetProperty("source").GetString());
    }

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task A_failed_child_fails_its_depend_bridge_and_a_bridge_without_depend_succeeds_once_its_child_exists(string store)
    {
        await using var api = await ApiFixture.StartAsync(store);
        var (_, runner) = await api.Server.RegisterRunnerAsync();
        using var git = GitClient.Init();
        git.Write(".gitlab-ci.yml", """
            mirrored: {trigger: {include: [{local: child.yml}], strategy: depend}}
            fire-and-forget: {trigger: {include: child.yml}}
            """);
        git.Write("child.yml", "child-job: {script: [exit 1]}\n");
        git.Commit("two bridges");
        git.Ok("push", "--quiet", Remote(api.Server), "main");

        var first = await NextJobAsync(api.Server, runner);
        var second = await NextJobAsync(api.Server, runner);
        (await api.Server.UpdateJobAsync(first, "failed", 1, "script_failure")).Dispose();
        (await api.Server.UpdateJobAsync(second, "failed", 1, "script_failure")).Dispose();

        await WaitForAsync(async () => (await api.Server.Host.Stores.Pipelines.GetPipelineAsync(1))!.Status == CiStatus.Failed);
        var (status, bridges, _) = await api.GetAsync("projects/1/pipelines/1/bridges");
        Assert.Equal(HttpStatusCode.OK, status);
        var byName = bridges.EnumerateArray().ToDictionary(b => b.GetProperty("name").GetString()!);
        Assert.Equal("failed", byName["mirrored"].GetProperty("status").GetString());
        Assert.Equal("success", byName["fire-and-forget"].GetProperty("status").GetString());
        Assert.Equal("failed", byName["fire-and-forget"].GetProperty("downstream_pipeline").GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_dynamic_child_pipeline_comes_from_a_file_in_an_earlier_jobs_artifacts()
    {
        await using var api = await ApiFixture.StartAsync();
        var (_, runner) = await api.Server.RegisterRunnerAsync();
        using var git = GitClient.Init();
        git.Write(".gitlab-ci.yml", """
            stages: [generate, run]
            generate: {stage: generate, script: [./generate > generated.yml], artifacts: {paths: [generated.yml]}}
            run-generated:
              stage: run
              trigger:
                include: [{artifact: generated.yml, job: generate}]
                strategy: depend
            """);
        git.Commit("dynamic child");
        git.Ok("push", "--quiet", Remote(api.Server), "main");

        var generate = await NextJobAsync(api.Server, runner);
        Assert.Equal("generate", generate.JobInfo.Name);
        using (var upload = await UploadAsync(api.Server, generate, Archives.Zip(("generated.yml", "generated-job: {script: [echo generated]}\n"))))
        {
            Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        }

        (await api.Server.UpdateJobAsync(generate, "success")).Dispose();
        var generated = await NextJobAsync(api.Server, runner);

        Assert.Equal("generated-job", generated.JobInfo.Name);
        (await api.Server.UpdateJobAsync(generated, "success")).Dispose();
        await WaitForAsync(async () => (await api.Server.Host.Stores.Pipelines.GetPipelineAsync(1))!.Status == CiStatus.Success);
    }

    [Fact]
    public async Task A_child_job_with_needs_pipeline_job_gets_and_may_download_the_parent_jobs_artifacts()
    {
        await using var api = await ApiFixture.StartAsync();
        var (_, runner) = await api.Server.RegisterRunnerAsync();
        using var git = GitClient.Init();
        git.Write(".gitlab-ci.yml", """
            stages: [build, child]
            build: {stage: build, script: [make], artifacts: {paths: [app.bin]}}
            child:
              stage: child
              variables: {PARENT_PIPELINE_ID: $CI_PIPELINE_ID}
              trigger: {include: child.yml}
            """);
        git.Write("child.yml", "use: {script: [./app.bin], needs: [{pipeline: $PARENT_PIPELINE_ID, job: build}]}\n");
        git.Commit("parent artifacts in a child");
        git.Ok("push", "--quiet", Remote(api.Server), "main");
        var build = await NextJobAsync(api.Server, runner);
        using (var upload = await UploadAsync(api.Server, build, Archives.Zip(("app.bin", "binary"))))
        {
            Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        }

        (await api.Server.UpdateJobAsync(build, "success")).Dispose();
        var use = await NextJobAsync(api.Server, runner);

        Assert.Equal("use", use.JobInfo.Name);
        var dependency = Assert.Single(use.Dependencies);
        Assert.Equal((build.Id, "build"), (dependency.Id, dependency.Name));
        Assert.NotNull(dependency.ArtifactsFile);
        using var download = new HttpRequestMessage(HttpMethod.Get, $"api/v4/jobs/{build.Id}/artifacts");
        download.Headers.Add("JOB-TOKEN", use.Token);
        using var response = await api.Server.Http.SendAsync(download);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_missing_artifact_include_fails_the_bridge_with_downstream_pipeline_creation_failed()
    {
        await using var api = await ApiFixture.StartAsync();
        using var git = GitClient.Init();
        git.Write(".gitlab-ci.yml", "dynamic: {trigger: {include: [{artifact: none.yml, job: nothing}]}}\n");
        git.Commit("no such job");
        git.Ok("push", "--quiet", Remote(api.Server), "main");

        await WaitForAsync(async () => (await api.Server.Host.Stores.Pipelines.GetPipelineAsync(1))!.Status == CiStatus.Failed);
        var bridge = await BridgeAsync(api, 1);
        Assert.Equal(FailureReasons.DownstreamPipelineCreationFailed, bridge.FailureReason);
    }

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task A_multi_project_trigger_runs_downstream_as_the_user_and_the_depend_bridge_mirrors_it(string store)
    {
        await using var api = await ApiFixture.StartAsync(store);
        var (_, runner) = await api.Server.RegisterRunnerAsync();
        var down = await api.ProjectWithConfigAsync("down", "deploy: {script: [echo $CI_PIPELINE_SOURCE $FROM_UPSTREAM]}");
        var up = await api.ProjectWithConfigAsync("up", """
            ship:
              variables: {FROM_UPSTREAM: up}
              trigger: {project: root/down, strategy: depend}
            """);
        var upstream = await api.RunPipelineAsync(up);

        var deploy = await NextJobAsync(api.Server, runner);

        Assert.Equal("deploy", deploy.JobInfo.Name);
        Assert.Equal(down, deploy.JobInfo.ProjectId);
        Assert.Equal("pipeline", Variable(deploy, "CI_PIPELINE_SOURCE"));
        Assert.Equal("up", Variable(deploy, "FROM_UPSTREAM"));
        Assert.Equal("root", Variable(deploy, "GITLAB_USER_LOGIN"));
        (await api.Server.UpdateJobAsync(deploy, "success")).Dispose();
        await WaitForAsync(async () => (await api.Server.Host.Stores.Pipelines.GetPipelineAsync(upstream))!.Status == CiStatus.Success);
        var (_, bridges, _) = await api.GetAsync($"projects/{up}/pipelines/{upstream}/bridges");
        var downstream = bridges[0].GetProperty("downstream_pipeline");
        Assert.Equal(down, downstream.GetProperty("project_id").GetInt64());
        Assert.Equal("pipeline", downstream.GetProperty("source").GetString());
    }

    [Fact]
    public async Task Forwarded_pipeline_variables_are_the_upstreams_own_never_its_project_or_instance_variables()
    {
        await using var api = await ApiFixture.StartAsync();
        var (_, runner) = await api.Server.RegisterRunnerAsync();
        var down = await api.ProjectWithConfigAsync("down", "deploy: {script: [echo]}");
        var up = await api.ProjectWithConfigAsync("up", "ship: {trigger: {project: root/down, forward: {pipeline_variables: true}}}");
        await api.PostAsync($"projects/{up}/variables", """{"key": "UP_SECRET", "value": "of-the-upstream-project"}""");
        await api.PostAsync("admin/ci/variables", """{"key": "EVERYWHERE", "value": "instance"}""");
        var (created, _, _) = await api.PostAsync($"projects/{up}/pipeline", """{"ref": "main", "variables": [{"key": "GIVEN", "value": "by-the-caller"}]}""");
        Assert.Equal(HttpStatusCode.Created, created);

        var deploy = await NextJobAsync(api.Server, runner);

        Assert.Equal(down, deploy.JobInfo.ProjectId);
        Assert.Equal("by-the-caller", Variable(deploy, "GIVEN"));
        Assert.DoesNotContain(deploy.Variables, v => v.Key == "UP_SECRET");
        Assert.Equal("instance", Variable(deploy, "EVERYWHERE")); // the downstream's own instance variable, not a forwarded one
        var downstream = (await api.GetAsync($"projects/{down}/pipelines")).Json[0].GetProperty("id").GetInt64();
        var (_, forwarded, _) = await api.GetAsync($"projects/{down}/pipelines/{downstream}/variables");
        Assert.Equal(["GIVEN"], forwarded.EnumerateArray().Select(v => v.GetProperty("key").GetString()));
    }

    [Fact]
    public async Task A_multi_project_trigger_is_refused_when_the_user_cannot_see_or_run_pipelines_in_the_project()
    {
        await using var api = await ApiFixture.StartAsync();
        var down = await api.ProjectWithConfigAsync("down", "deploy: {script: [echo]}");
        var (created, project, _) = await api.PostAsync("projects", """{"name":"up"}""", ApiFixture.AliceToken);
        Assert.Equal(HttpStatusCode.Created, created);
        var up = project.GetProperty("id").GetInt64();
        await StoredConfigs.SaveAsync(api.Server, up, "ship: {trigger: {project: root/down}}");

        var hidden = await RunAsAliceAsync(api, up);
        await WaitForAsync(async () => (await BridgeAsync(api, hidden)).Status == CiStatus.Failed);
        Assert.Equal(FailureReasons.DownstreamBridgeProjectNotFound, (await BridgeAsync(api, hidden)).FailureReason);

        var alice = (await api.GetAsync("users?username=alice")).Json[0].GetProperty("id").GetInt64();
        var (added, _, _) = await api.PostAsync($"projects/{down}/members", $$"""{"user_id": {{alice}}, "access_level": 20}""");
        Assert.Equal(HttpStatusCode.Created, added);
        var reporter = await RunAsAliceAsync(api, up);
        await WaitForAsync(async () => (await BridgeAsync(api, reporter)).Status == CiStatus.Failed);
        Assert.Equal(FailureReasons.InsufficientBridgePermissions, (await BridgeAsync(api, reporter)).FailureReason);
        Assert.Equal(0, (await api.GetAsync($"projects/{down}/pipelines")).Json.GetArrayLength());
    }

    [Fact]
    public async Task Canceling_the_parent_cancels_its_child_and_retrying_the_bridge_creates_a_new_child()
    {
        await using var api = await ApiFixture.StartAsync();
        var (_, runner) = await api.Server.RegisterRunnerAsync();
        using var git = GitClient.Init();
        git.Write(".gitlab-ci.yml", "child: {trigger: {include: child.yml, strategy: depend}}\n");
        git.Write("child.yml", "child-job: {script: [sleep 60]}\n");
        git.Commit("a long child");
        git.Ok("push", "--quiet", Remote(api.Server), "main");
        var running = await NextJobAsync(api.Server, runner);
        var child = running.JobInfo.PipelineId!.Value;

        var (canceled, _, _) = await api.PostAsync("projects/1/pipelines/1/cancel");

        Assert.Equal(HttpStatusCode.Created, canceled);
        await WaitForAsync(async () => (await BridgeAsync(api, 1)).Status == CiStatus.Canceled);
        await WaitForAsync(async () => (await api.Server.Host.Stores.Pipelines.GetPipelineAsync(child))!.Status is CiStatus.Canceling or CiStatus.Canceled);
        (await api.Server.UpdateJobAsync(running, "canceled")).Dispose();

        var bridge = await BridgeAsync(api, 1);
        var (retried, _, _) = await api.PostAsync($"projects/1/jobs/{bridge.Id}/retry");
        Assert.Equal(HttpStatusCode.Created, retried);
        var again = await NextJobAsync(api.Server, runner);
        Assert.NotEqual(child, again.JobInfo.PipelineId);
        Assert.Equal(CiStatus.Running, (await BridgeAsync(api, 1)).Status);
        Assert.Equal(2, (await api.Server.Host.Stores.Downstream.DownstreamPipelinesAsync(1)).Count);
    }

    [Fact]
    public async Task Child_pipelines_nest_two_levels_deep_and_the_next_bridge_fails_with_the_depth_reason()
    {
        await using var api = await ApiFixture.StartAsync();
        using var git = GitClient.Init();
        git.Write(".gitlab-ci.yml", "again: {trigger: {include: .gitlab-ci.yml}}\n");
        git.Commit("a child of itself");
        git.Ok("push", "--quiet", Remote(api.Server), "main");

        await WaitForAsync(async () => (await api.Server.Host.Stores.Pipelines.GetPipelineAsync(3)) is { Status: CiStatus.Failed });

        Assert.Null(await api.Server.Host.Stores.Pipelines.GetPipelineAsync(4));
        Assert.Equal(FailureReasons.ReachedMaxDescendantPipelinesDepth, (await BridgeAsync(api, 3)).FailureReason);
        Assert.Equal(CiStatus.Success, (await BridgeAsync(api, 2)).Status);
        Assert.Equal(new UpstreamLink(2, (await BridgeAsync(api, 2)).Id), await api.Server.Host.Stores.Downstream.UpstreamOfAsync(3));
    }

    private static async Task<long> RunAsAliceAsync(ApiFixture api, long project)
    {
        var (status, json, _) = await api.PostAsync($"projects/{project}/pipeline?ref=main", token: ApiFixture.AliceToken);
        Assert.Equal(HttpStatusCode.Created, status);
        return json.GetProperty("id").GetInt64();
    }

    private static string Remote(TestServer server) => $"http://root:{TestServer.RootToken}@127.0.0.1:{server.Port}/root/demo.git";

    private static string? Variable(JobResponse job, string key) => job.Variables.LastOrDefault(v => v.Key == key)?.Value;

    private static async Task<JobRecord> BridgeAsync(ApiFixture api, long pipeline)
    {
        var stores = api.Server.Host.Stores;
        var state = (await stores.Pipelines.GetPipelineStateAsync(pipeline))!.State!;
        return (await stores.Pipelines.CurrentJobsAsync(pipeline)).Single(j => state.Plan.Job(j.Name)!.IsTrigger);
    }

    private static async Task<JobResponse> NextJobAsync(TestServer server, string runner)
    {
        var deadline = DateTime.UtcNow + Limit;
        while (DateTime.UtcNow < deadline)
        {
            if (await server.RequestJobAsync(runner) is { } job)
            {
                return job;
            }
        }

        throw new TimeoutException("no job was handed out");
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Limit;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold in time");
            await Task.Delay(50);
        }
    }

    private static async Task<HttpResponseMessage> UploadAsync(TestServer server, JobResponse job, byte[] zip)
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(zip), "file", "artifacts.zip" } };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/v4/jobs/{job.Id}/artifacts?artifact_type=archive&artifact_format=zip") { Content = form };
        request.Headers.Add("JOB-TOKEN", job.Token);
        return await server.Http.SendAsync(request);
    }
}

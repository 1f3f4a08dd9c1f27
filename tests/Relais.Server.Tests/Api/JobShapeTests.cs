using System.Net;
using System.Text.Json;
using Relais.Server.Tests.Git;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Api;

/// <summary>
/// The job in GitLab's shape (issue #14: no commit, no artifacts list, the caller shown as its user): read by
/// python-gitlab over every page, and <c>GET /job</c> for a CI/CD job token.
/// </summary>
public sealed class JobShapeTests
{
    [PythonGitLabFact]
    public async Task Every_job_lists_with_GitLabs_fields_its_commit_from_git_its_pipeline_and_the_user_who_caused_it()
    {
        await using var api = await ApiFixture.StartAsync();
        using var git = GitClient.Init();
        git.Write(".gitlab-ci.yml", "a: {script: [x], tags: [linux]}\nb: {script: [x], allow_failure: true}\nc: {script: [x]}\n");
        var sha = git.Commit("Add CI\n\nThree jobs.");
        git.Ok("push", "--quiet", $"http://root:{TestServer.RootToken}@127.0.0.1:{api.Server.Port}/root/demo.git", "main");

        var jobs = await PythonGitLab.RunAsync(api.Server.Host.ExternalUrl, TestServer.RootToken, """
            p = gl.projects.get('root/demo')
            print(json.dumps([j.attributes for j in p.jobs.list(get_all=True, per_page=1)]))
            """);

        Assert.Equal(3, jobs.GetArrayLength());
        var a = jobs.EnumerateArray().Single(j => j.GetProperty("name").GetString() == "a");
        foreach (var field in new[] { "id", "status", "stage", "name", "ref", "tag", "coverage", "allow_failure", "created_at", "started_at", "finished_at", "erased_at", "duration", "queued_duration", "user", "commit", "pipeline", "failure_reason", "web_url", "project", "artifacts_file", "artifacts", "runner", "runner_manager", "artifacts_expire_at", "archived", "tag_list" })
        {
            Assert.True(a.TryGetProperty(field, out _), $"no {field}");
        }

        var commit = a.GetProperty("commit");
        Assert.Equal(sha, commit.GetProperty("id").GetString());
        Assert.Equal(sha[..8], commit.GetProperty("short_id").GetString());
        Assert.Equal("Add CI", commit.GetProperty("title").GetString());
        Assert.StartsWith("Add CI\n\nThree jobs.", commit.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("root", a.GetProperty("user").GetProperty("username").GetString());
        var pipeline = a.GetProperty("pipeline");
        Assert.Equal("push", pipeline.GetProperty("source").GetString());
        Assert.Equal(sha, pipeline.GetProperty("sha").GetString());
        Assert.Equal(JsonValueKind.String, pipeline.GetProperty("created_at").ValueKind);
        Assert.True(a.GetProperty("project").GetProperty("ci_job_token_scope_enabled").GetBoolean());
        Assert.Equal(["linux"], a.GetProperty("tag_list").EnumerateArray().Select(t => t.GetString()));
        Assert.True(jobs.EnumerateArray().Single(j => j.GetProperty("name").GetString() == "b").GetProperty("allow_failure").GetBoolean());
    }

    [Fact]
    public async Task GET_job_answers_the_running_job_of_a_job_token_and_401_once_it_finished()
    {
        await using var api = await ApiFixture.StartAsync();
        var project = await api.ProjectWithConfigAsync("demo", "build: {script: [make]}");
        var (_, runner) = await api.Server.RegisterRunnerAsync();
        await api.RunPipelineAsync(project);
        var job = (await api.Server.RequestJobAsync(runner))!;

        using (var request = new HttpRequestMessage(HttpMethod.Get, "api/v4/job"))
        {
            request.Headers.Add("JOB-TOKEN", job.Token);
            using var response = await api.Server.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(job.Id, body.GetProperty("id").GetInt64());
            Assert.Equal("running", body.GetProperty("status").GetString());
            Assert.Equal("root", body.GetProperty("user").GetProperty("username").GetString());
        }

        var (byParam, _, _) = await api.GetAsync($"job?job_token={job.Token}", token: null);
        Assert.Equal(HttpStatusCode.OK, byParam);
        var (personal, message, _) = await api.GetAsync("job");
        Assert.Equal(HttpStatusCode.NotFound, personal);
        Assert.Equal("404 Job Not Found", message.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("job", token: null)).Status);

        (await api.Server.UpdateJobAsync(job, "success")).Dispose();
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync($"job?job_token={job.Token}", token: null)).Status);
    }
}

using System.Net;
using System.Text.Json;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Api;

/// <summary>
/// Erasing jobs, keeping and deleting artifacts (issue #14), with GitLab's roles, status codes and bodies, on both
/// stores; and the same calls through python-gitlab.
/// </summary>
public sealed class JobArtifactLifecycleTests
{
    private const string Build = "build: {script: [make], artifacts: {paths: [out/]}}";

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task Keep_clears_the_expiry_and_erase_removes_log_and_artifacts_of_a_finished_job_for_a_maintainer(string store)
    {
        await using var api = await ApiFixture.StartAsync(store);
        var project = await api.ProjectWithConfigAsync("demo", Build);
        await AddAliceAsync(api, project, 30);
        var (_, runner) = await api.Server.RegisterRunnerAsync();
        await api.RunPipelineAsync(project);
        var job = (await api.Server.RequestJobAsync(runner))!;
        await JobSteps.UploadArchiveAsync(api.Server, job, Archives.Zip(("out/a.txt", "a")), expireIn: "1 week");
        (await api.Server.PatchTraceAsync(job, 0, "building\n")).Dispose();

        var (running, runningBody, _) = await api.PostAsync($"projects/{project}/jobs/{job.Id}/erase");
        Assert.Equal(HttpStatusCode.Forbidden, running);
        Assert.Equal("403 Forbidden - Job is not erasable!", runningBody.GetProperty("message").GetString());
        (await api.Server.UpdateJobAsync(job, "success")).Dispose();

        var (_, before, _) = await api.GetAsync($"projects/{project}/jobs/{job.Id}");
        Assert.Equal(JsonValueKind.String, before.GetProperty("artifacts_expire_at").ValueKind);
        var (kept, keptBody, _) = await api.PostAsync($"projects/{project}/jobs/{job.Id}/artifacts/keep", token: ApiFixture.AliceToken);
        Assert.Equal(HttpStatusCode.OK, kept);
        Assert.Equal(JsonValueKind.Null, keptBody.GetProperty("artifacts_expire_at").ValueKind);

        Assert.Equal(HttpStatusCode.Forbidden, (await api.PostAsync($"projects/{project}/jobs/{job.Id}/erase", token: ApiFixture.AliceToken)).Status);
        var (erased, erasedBody, _) = await api.PostAsync($"projects/{project}/jobs/{job.Id}/erase");
        Assert.Equal(HttpStatusCode.Created, erased);
        Assert.Equal(JsonValueKind.String, erasedBody.GetProperty("erased_at").ValueKind);
        Assert.Equal(JsonValueKind.Null, erasedBody.GetProperty("artifacts_file").ValueKind);
        Assert.Equal(0, erasedBody.GetProperty("artifacts").GetArrayLength());
        var (_, _, trace) = await api.GetAsync($"projects/{project}/jobs/{job.Id}/trace");
        Assert.Equal("", await trace.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"projects/{project}/jobs/{job.Id}/artifacts")).Status);
        Assert.False(Directory.EnumerateFiles(Path.Combine(api.Server.Host.Options.DataDir, "artifacts"), "*", SearchOption.AllDirectories).Any());
        Assert.Equal(HttpStatusCode.Forbidden, (await api.PostAsync($"projects/{project}/jobs/{job.Id}/erase")).Status); // nothing left to erase
        Assert.Equal(HttpStatusCode.NotFound, (await api.PostAsync($"projects/{project}/jobs/{job.Id}/artifacts/keep")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.PostAsync($"projects/{project}/jobs/999999/erase")).Status);
    }

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task Deleting_artifacts_is_for_maintainers_and_a_projects_deletion_keeps_each_refs_latest_successful_pipeline(string store)
    {
        await using var api = await ApiFixture.StartAsync(store);
        var project = await api.ProjectWithConfigAsync("demo", Build);
        await AddAliceAsync(api, project, 30);
        var (_, runner) = await api.Server.RegisterRunnerAsync();
        var jobs = new Dictionary<string, long>();
        foreach (var (name, gitRef, state) in new[] { ("old", "main", "success"), ("latest", "main", "success"), ("tag", "v1.0", "success"), ("failed", "main", "failed"), ("single", "main", "failed") })
        {
            await api.RunPipelineAsync(project, gitRef);
            jobs[name] = (await JobSteps.RunAsync(api.Server, runner, state, ("out/a.txt", name))).Id;
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await api.SendAsync(HttpMethod.Delete, $"projects/{project}/jobs/{jobs["single"]}/artifacts", ApiFixture.AliceToken)).Status);
        var (deleted, _, _) = await api.SendAsync(HttpMethod.Delete, $"projects/{project}/jobs/{jobs["single"]}/artifacts");
        Assert.Equal(HttpStatusCode.NoContent, deleted);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"projects/{project}/jobs/{jobs["single"]}/artifacts")).Status);

        Assert.Equal(HttpStatusCode.Forbidden, (await api.SendAsync(HttpMethod.Delete, $"projects/{project}/artifacts", ApiFixture.AliceToken)).Status);
        var (accepted, body, _) = await api.SendAsync(HttpMethod.Delete, $"projects/{project}/artifacts");
        Assert.Equal(HttpStatusCode.Accepted, accepted);
        Assert.Equal("202 Accepted", body.GetProperty("message").GetString());

        foreach (var (name, left) in new[] { ("old", false), ("latest", true), ("tag", true), ("failed", false) })
        {
            var (status, _, _) = await api.GetAsync($"projects/{project}/jobs/{jobs[name]}/artifacts");
            Assert.True((status == HttpStatusCode.OK) == left, $"{name}: {status}");
        }

        Assert.Equal(2, Directory.EnumerateFiles(Path.Combine(api.Server.Host.Options.DataDir, "artifacts"), "*", SearchOption.AllDirectories).Count());
    }

    [PythonGitLabFact]
    public async Task Python_gitlab_keeps_deletes_and_erases_through_its_job_and_project_methods()
    {
        await using var api = await ApiFixture.StartAsync();
        var project = await api.ProjectWithConfigAsync("demo", Build);
        var (_, runner) = await api.Server.RegisterRunnerAsync();
        var ids = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            await api.RunPipelineAsync(project);
            ids.Add((await JobSteps.RunAsync(api.Server, runner, "success", ("out/a.txt", "a"))).Id);
        }

        var result = await PythonGitLab.RunAsync(api.Server.Host.ExternalUrl, TestServer.RootToken, $$"""
            p = gl.projects.get({{project}})
            first, second, third = (p.jobs.get(i) for i in [{{string.Join(", ", ids)}}])
            third.keep_artifacts()
            first.delete_artifacts()
            second.erase()
            p.artifacts.delete()
            print(json.dumps({
                'first': p.jobs.get(first.id).artifacts_file,
                'second': p.jobs.get(second.id).erased_at,
                'third': p.jobs.get(third.id).artifacts_file,
            }))
            """);

        Assert.Equal(JsonValueKind.Null, result.GetProperty("first").ValueKind);
        Assert.Equal(JsonValueKind.String, result.GetProperty("second").ValueKind);
        Assert.Equal("artifacts.zip", result.GetProperty("third").GetProperty("filename").GetString());
    }

    private static async Task AddAliceAsync(ApiFixture api, long project, int level)
    {
        var (_, users, _) = await api.GetAsync("users?username=alice");
        var alice = users[0].GetProperty("id").GetInt64();
        var (status, _, _) = await api.PostAsync($"projects/{project}/members", $$"""{"user_id":{{alice}},"access_level":{{level}}}""");
        Assert.Equal(HttpStatusCode.Created, status);
    }
}

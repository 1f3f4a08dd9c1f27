using System.Net;
using Relais.Server.Tests.Api;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Triggers;

/// <summary>
/// A job's <c>CI_JOB_TOKEN</c> on <c>POST /projects/:id/trigger/pipeline</c> (a multi-project pipeline, source
/// <c>pipeline</c>) within the target's job token allowlist, and the job token scope API that manages that list.
/// </summary>
public sealed class JobTokenTriggerTests
{
    private const string Yaml = "build: {script: [echo]}";

    [Fact]
    public async Task A_jobs_token_triggers_another_projects_pipeline_only_once_that_project_allowlists_it()
    {
        await using var api = await ApiFixture.StartAsync();
        var upstream = await api.ProjectWithConfigAsync("upstream", Yaml);
        var downstream = await api.ProjectWithConfigAsync("downstream", Yaml);
        var (_, runner) = await api.Server.RegisterRunnerAsync();
        await api.RunPipelineAsync(upstream);
        var job = (await api.Server.RequestJobAsync(runner))!;

        var refused = await TriggerAsync(api, downstream, job.Token);
        var added = await api.PostAsync($"projects/{downstream}/job_token_scope/allowlist", $$"""{"target_project_id": {{upstream}}}""");
        var allowed = await TriggerAsync(api, downstream, job.Token);
        var downstreamJob = (await api.Server.RequestJobAsync(runner))!;
        await api.Server.UpdateJobAsync(job, "success");
        var afterTheJob = await TriggerAsync(api, downstream, job.Token);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Created, added.Status);
        Assert.Equal((downstream, upstream), (added.Json.GetProperty("source_project_id").GetInt64(), added.Json.GetProperty("target_project_id").GetInt64()));
        Assert.Equal(HttpStatusCode.Created, allowed.StatusCode);
        Assert.Contains(downstreamJob.Variables, v => v.Key == "CI_PIPELINE_SOURCE" && v.Value == "pipeline");
        Assert.Contains(downstreamJob.Variables, v => v.Key == "CI_PROJECT_PATH" && v.Value == "root/downstream");
        Assert.Contains(downstreamJob.Variables, v => v.Key == "GITLAB_USER_LOGIN" && v.Value == "root");
        Assert.Equal(HttpStatusCode.NotFound, afterTheJob.StatusCode);
    }

    [PythonGitLabFact]
    public async Task The_job_token_scope_API_answers_python_gitlab_in_GitLabs_shapes()
    {
        await using var api = await ApiFixture.StartAsync();
        var target = await api.ProjectWithConfigAsync("target", Yaml);
        var friend = await api.ProjectWithConfigAsync("friend", Yaml);

        // python-gitlab 3.12 (Debian's) has no job_token_scope manager yet: its generic calls make the same requests.
        var result = await PythonGitLab.RunAsync(api.Server.Host.ExternalUrl, TestServer.RootToken, $$"""
            path = "/projects/{{target}}/job_token_scope"
            before = gl.http_get(path)
            added = gl.http_post(path + "/allowlist", post_data={"target_project_id": {{friend}}})
            listed = [p["path_with_namespace"] for p in gl.http_list(path + "/allowlist")]
            gl.http_request("patch", path, post_data={"enabled": False})
            after = gl.http_get(path)
            gl.http_delete(path + "/allowlist/{{friend}}")
            print(json.dumps({"before": before, "added": added, "listed": listed, "after": after, "left": gl.http_list(path + "/allowlist")}))
            """);

        Assert.True(result.GetProperty("before").GetProperty("inbound_enabled").GetBoolean());
        Assert.False(result.GetProperty("before").GetProperty("outbound_enabled").GetBoolean());
        Assert.Equal(friend, result.GetProperty("added").GetProperty("target_project_id").GetInt64());
        Assert.Equal(["root/friend"], result.GetProperty("listed").EnumerateArray().Select(e => e.GetString()));
        Assert.False(result.GetProperty("after").GetProperty("inbound_enabled").GetBoolean());
        Assert.Equal(0, result.GetProperty("left").GetArrayLength());
    }

    [Fact]
    public async Task The_job_token_scope_API_is_for_Maintainers_and_answers_GitLabs_codes()
    {
        await using var api = await ApiFixture.StartAsync();
        var target = await api.ProjectWithConfigAsync("target", Yaml);
        var friend = await api.ProjectWithConfigAsync("friend", Yaml);
        await TriggerApiTests.AddAliceAsync(api, target, level: 30);

        var asDeveloper = await api.GetAsync($"projects/{target}/job_token_scope", ApiFixture.AliceToken);
        var patched = await api.SendAsync(HttpMethod.Patch, $"projects/{target}/job_token_scope", json: """{"enabled": false}""");
        var noEnabled = await api.SendAsync(HttpMethod.Patch, $"projects/{target}/job_token_scope", json: "{}");
        await api.PostAsync($"projects/{target}/job_token_scope/allowlist", $$"""{"target_project_id": {{friend}}}""");
        var twice = await api.PostAsync($"projects/{target}/job_token_scope/allowlist", $$"""{"target_project_id": {{friend}}}""");
        var nowhere = await api.PostAsync($"projects/{target}/job_token_scope/allowlist", """{"target_project_id": 999}""");
        var removed = await api.SendAsync(HttpMethod.Delete, $"projects/{target}/job_token_scope/allowlist/{friend}");

        Assert.Equal(HttpStatusCode.Forbidden, asDeveloper.Status);
        Assert.Equal(HttpStatusCode.NoContent, patched.Status);
        Assert.False(await api.Server.Host.Stores.JobTokenScopes.IsEnabledAsync(target));
        Assert.Equal(HttpStatusCode.BadRequest, noEnabled.Status);
        Assert.Equal(HttpStatusCode.BadRequest, twice.Status);
        Assert.Equal(HttpStatusCode.NotFound, nowhere.Status);
        Assert.Equal(HttpStatusCode.NoContent, removed.Status);
    }

    private static async Task<HttpResponseMessage> TriggerAsync(ApiFixture api, long project, string token)
    {
        using var form = new FormUrlEncodedContent([new("token", token), new("ref", "main")]);
        return await api.Server.Http.PostAsync($"api/v4/projects/{project}/trigger/pipeline", form);
    }
}

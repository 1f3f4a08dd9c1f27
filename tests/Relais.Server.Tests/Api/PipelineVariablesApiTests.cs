using System.Net;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Api;

/// <summary>
/// <c>POST /projects/:id/pipeline</c> with <c>variables</c>: they reach the jobs (they were answered 201 and silently
/// dropped before, issue #14), over JSON (python-gitlab) and forms, and override the project's variables.
/// </summary>
public sealed class PipelineVariablesApiTests
{
    private const string Yaml = "build: {script: [echo $GREETING]}";

    [PythonGitLabFact]
    public async Task Variables_given_through_python_gitlab_reach_the_job_and_win_over_the_projects()
    {
        await using var api = await ApiFixture.StartAsync();
        var project = await api.ProjectWithConfigAsync("demo", Yaml);
        await api.PostAsync($"projects/{project}/variables", """{"key": "GREETING", "value": "from the project"}""");
        var (_, runner) = await api.Server.RegisterRunnerAsync();

        await PythonGitLab.RunAsync(api.Server.Host.ExternalUrl, TestServer.RootToken, """
            p = gl.projects.get("root/demo")
            pipeline = p.pipelines.create({"ref": "main", "variables": [{"key": "GREETING", "value": "hello"}, {"key": "CONFIG", "value": "a=1", "variable_type": "file"}]})
            print(json.dumps(pipeline.id))
            """);

        var job = (await api.Server.RequestJobAsync(runner))!;
        Assert.Equal("hello", job.Variables.Last(v => v.Key == "GREETING").Value);
        var file = Assert.Single(job.Variables, v => v.Key == "CONFIG");
        Assert.True(file.File);
        Assert.Equal("a=1", file.Value);
    }

    [Fact]
    public async Task Variables_given_as_form_fields_reach_the_job()
    {
        await using var api = await ApiFixture.StartAsync();
        var project = await api.ProjectWithConfigAsync("demo", Yaml);
        var (_, runner) = await api.Server.RegisterRunnerAsync();
        using var form = new FormUrlEncodedContent([new("ref", "main"), new("variables[][key]", "GREETING"), new("variables[][value]", "hi there")]);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/v4/projects/{project}/pipeline") { Content = form };
        request.Headers.Add("PRIVATE-TOKEN", TestServer.RootToken);

        using var response = await api.Server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Contains((await api.Server.RequestJobAsync(runner))!.Variables, v => v.Key == "GREETING" && v.Value == "hi there");
    }

    [Fact]
    public async Task A_variable_with_a_bad_key_is_refused_with_400_and_no_pipeline()
    {
        await using var api = await ApiFixture.StartAsync();
        var project = await api.ProjectWithConfigAsync("demo", Yaml);

        var (status, _, _) = await api.PostAsync($"projects/{project}/pipeline", """{"ref": "main", "variables": [{"key": "BAD KEY", "value": "x"}]}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(0, (await api.GetAsync($"projects/{project}/pipelines")).Json.GetArrayLength());
    }
}

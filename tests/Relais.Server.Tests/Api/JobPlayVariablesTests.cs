using System.Net;
using Relais.Server.Tests.Hostile;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Api;

/// <summary>
/// <c>POST /projects/:id/jobs/:job_id/play</c> with <c>job_variables_attributes</c> (issue #14: they were dropped): the
/// variables reach the job over every other (pipeline variables included), a retry keeps them, and a play the engine
/// rejects keeps none. Both stores.
/// </summary>
public sealed class JobPlayVariablesTests
{
    private const string Manual = "deploy: {script: [ship], when: manual, variables: {TARGET: yaml}}";

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task Variables_given_on_play_reach_the_job_over_pipeline_variables_and_a_retry_keeps_them(string store)
    {
        await using var api = await ApiFixture.StartAsync(store);
        var project = await api.ProjectWithConfigAsync("demo", Manual);
        var (_, runner) = await api.Server.RegisterRunnerAsync();
        var (_, pipeline, _) = await api.PostAsync($"projects/{project}/pipeline", """{"ref":"main","variables":[{"key":"TARGET","value":"pipeline"}]}""");
        var deploy = await api.JobNamedAsync(project, pipeline.GetProperty("id").GetInt64(), "deploy");

        var (played, job, _) = await api.PostAsync(
            $"projects/{project}/jobs/{deploy.GetProperty("id").GetInt64()}/play",
            """{"job_variables_attributes":[{"key":"TARGET","value":"played"},{"key":"EXTRA","value":"x y"}]}""");
        Assert.Equal(HttpStatusCode.Created, played);
        Assert.Equal("pending", job.GetProperty("status").GetString());

        var first = (await api.Server.RequestJobAsync(runner))!;
        Assert.Equal("played", first.Variables.Last(v => v.Key == "TARGET").Value);
        Assert.Equal("x y", first.Variables.Last(v => v.Key == "EXTRA").Value);
        (await api.Server.UpdateJobAsync(first, "failed", 1)).Dispose();

        var (retried, _, _) = await api.PostAsync($"projects/{project}/jobs/{first.Id}/retry");
        Assert.Equal(HttpStatusCode.Created, retried);
        var second = (await api.Server.RequestJobAsync(runner))!;
        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal("played", second.Variables.Last(v => v.Key == "TARGET").Value);
    }

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task Form_fields_are_read_and_a_rejected_or_invalid_play_keeps_no_variables(string store)
    {
        await using var api = await ApiFixture.StartAsync(store);
        var project = await api.ProjectWithConfigAsync("demo", Manual + "\nbuild: {script: [make]}");
        var (_, runner) = await api.Server.RegisterRunnerAsync();
        var pipeline = await api.RunPipelineAsync(project);
        var build = (await api.JobNamedAsync(project, pipeline, "build")).GetProperty("id").GetInt64();
        var deploy = (await api.JobNamedAsync(project, pipeline, "deploy")).GetProperty("id").GetInt64();

        var (rejected, message, _) = await api.PostAsync($"projects/{project}/jobs/{build}/play", """{"job_variables_attributes":[{"key":"TARGET","value":"nope"}]}""");
        Assert.Equal(HttpStatusCode.BadRequest, rejected);
        Assert.Equal("400 Bad request - Unplayable Job", message.GetProperty("message").GetString());
        Assert.Null(await api.Server.Host.Stores.JobPlayVariables.OfAttemptAsync(build));
        var (invalid, _, _) = await api.PostAsync($"projects/{project}/jobs/{deploy}/play", """{"job_variables_attributes":[{"key":"NOT VALID","value":"x"}]}""");
        Assert.Equal(HttpStatusCode.BadRequest, invalid);
        Assert.Null(await api.Server.Host.Stores.JobPlayVariables.OfAttemptAsync(deploy));

        var built = (await api.Server.RequestJobAsync(runner))!;
        Assert.Equal(build, built.Id);
        Assert.DoesNotContain(built.Variables, v => v.Key == "TARGET");
        (await api.Server.UpdateJobAsync(built, "success")).Dispose();

        using var form = new FormUrlEncodedContent([new("job_variables_attributes[][key]", "TARGET"), new("job_variables_attributes[][value]", "form")]);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/v4/projects/{project}/jobs/{deploy}/play") { Content = form };
        request.Headers.Add("PRIVATE-TOKEN", TestServer.RootToken);
        using var response = await api.Server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var deployed = (await api.Server.RequestJobAsync(runner))!;
        Assert.Equal("form", deployed.Variables.Last(v => v.Key == "TARGET").Value);
    }

    [PythonGitLabFact]
    public async Task A_python_gitlab_script_plays_a_job_with_variables_through_http_post()
    {
        await using var api = await ApiFixture.StartAsync();
        var project = await api.ProjectWithConfigAsync("demo", Manual);
        var (_, runner) = await api.Server.RegisterRunnerAsync();
        var pipeline = await api.RunPipelineAsync(project);
        var deploy = (await api.JobNamedAsync(project, pipeline, "deploy")).GetProperty("id").GetInt64();

        // python-gitlab 3.12's job.play() sends keyword arguments as query parameters; scripts post the body themselves.
        var status = await PythonGitLab.RunAsync(api.Server.Host.ExternalUrl, TestServer.RootToken, $$"""
            job = gl.http_post('/projects/{{project}}/jobs/{{deploy}}/play', post_data={'job_variables_attributes': [{'key': 'TARGET', 'value': 'python'}]})
            print(json.dumps(job['status']))
            """);

        Assert.Equal("pending", status.GetString());
        Assert.Equal("python", (await api.Server.RequestJobAsync(runner))!.Variables.Last(v => v.Key == "TARGET").Value);
    }

    [Fact]
    public async Task The_web_job_page_plays_a_manual_job_with_the_variables_of_its_form()
    {
        await using var server = await SessionClients.StartAsync();
        var (_, runner) = await server.RegisterRunnerAsync();
        var created = await server.CreatePipelineAsync(Manual);
        var deploy = (await server.Host.Stores.Pipelines.JobsOfPipelineAsync(created.Id)).Single(j => j.Name == "deploy");
        using var browser = await SessionClients.SignedInAsync(server, "root", SessionClients.RootPassword);
        var page = await browser.GetStringAsync($"root/demo/-/jobs/{deploy.Id}");
        Assert.Contains("Play with variables", page, StringComparison.Ordinal);

        using var form = new FormUrlEncodedContent([
            new("authenticity_token", SessionClients.Csrf(page)),
            new("job_variables_attributes[][key]", "TARGET"), new("job_variables_attributes[][value]", "from the page"),
            new("job_variables_attributes[][key]", ""), new("job_variables_attributes[][value]", ""),
        ]);
        using var played = await browser.PostAsync($"root/demo/-/jobs/{deploy.Id}/play", form);
        Assert.Equal(HttpStatusCode.Redirect, played.StatusCode);
        Assert.Equal("from the page", (await server.RequestJobAsync(runner))!.Variables.Last(v => v.Key == "TARGET").Value);
    }
}

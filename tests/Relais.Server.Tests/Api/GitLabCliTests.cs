using System.Text.Json;

namespace Relais.Server.Tests.Api;

/// <summary>A real client no one here wrote: python-gitlab's <c>gitlab</c> CLI lists, reads a trace, retries and plays.</summary>
public sealed class GitLabCliTests
{
    [GitLabCliFact]
    public async Task The_python_gitlab_cli_lists_reads_retries_and_plays()
    {
        await using var api = await ApiFixture.StartAsync();
        var project = await api.ProjectWithConfigAsync("demo", """
            stages: [build, deploy]
            build: {stage: build, script: [echo hi]}
            deploy: {stage: deploy, when: manual, script: [echo deploy]}
            """);
        var (_, runner) = await api.Server.RegisterRunnerAsync();
        var pipeline = await api.RunPipelineAsync(project);
        var job = (await api.Server.RequestJobAsync(runner))!;
        await api.Server.PatchTraceAsync(job, 0, "hello from the runner\n");
        await api.Server.UpdateJobAsync(job, "failed", exitCode: 1, reason: "script_failure");
        var url = api.Server.Host.ExternalUrl;
        var token = Support.TestServer.RootToken;

        var projects = await RunJsonAsync(url, token, "project", "list");
        Assert.Contains(projects.EnumerateArray(), p => p.GetProperty("path_with_namespace").GetString() == "root/demo");

        var pipelines = await RunJsonAsync(url, token, "project-pipeline", "list", "--project-id", Text(project));
        Assert.Equal(pipeline, pipelines[0].GetProperty("id").GetInt64());

        var jobs = await RunJsonAsync(url, token, "project-job", "list", "--project-id", Text(project));
        Assert.Contains(jobs.EnumerateArray(), j => j.GetProperty("id").GetInt64() == job.Id && j.GetProperty("status").GetString() == "failed");

        var trace = await GitLabCli.RunAsync(url, token, "project-job", "trace", "--project-id", Text(project), "--id", Text(job.Id));
        Assert.True(trace.Code == 0, trace.Err);
        Assert.Contains("hello from the runner", trace.Out, StringComparison.Ordinal);

        var retry = await GitLabCli.RunAsync(url, token, "project-job", "retry", "--project-id", Text(project), "--id", Text(job.Id));
        Assert.True(retry.Code == 0, retry.Err);
        var again = (await api.Server.RequestJobAsync(runner))!;
        Assert.Equal("build", again.JobInfo.Name);
        Assert.NotEqual(job.Id, again.Id);
        await api.Server.UpdateJobAsync(again, "success");

        var deploy = await api.JobNamedAsync(project, pipeline, "deploy");
        Assert.Equal("manual", deploy.GetProperty("status").GetString());
        var play = await GitLabCli.RunAsync(url, token, "project-job", "play", "--project-id", Text(project), "--id", Text(deploy.GetProperty("id").GetInt64()));
        Assert.True(play.Code == 0, play.Err);
        Assert.Equal("pending", (await api.JobNamedAsync(project, pipeline, "deploy")).GetProperty("status").GetString());

        var denied = await GitLabCli.RunAsync(url, "glpat-wrong", "project", "list");
        Assert.NotEqual(0, denied.Code);
        Assert.Contains("401", denied.Out + denied.Err, StringComparison.Ordinal);
    }

    private static async Task<JsonElement> RunJsonAsync(string url, string token, params string[] args)
    {
        var (code, stdout, stderr) = await GitLabCli.RunAsync(url, token, args);
        Assert.True(code == 0, $"{string.Join(' ', args)} exited {code}: {stderr}{stdout}");
        return JsonDocument.Parse(stdout).RootElement.Clone();
    }

    private static string Text(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

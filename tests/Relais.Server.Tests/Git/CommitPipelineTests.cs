using Relais.Protocol;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Relais.Server.Storage.Json;
using Relais.Server.Tests.Support;
using Xunit.Abstractions;

namespace Relais.Server.Tests.Git;

/// <summary>Pipelines made from commits of hosted repositories: their includes, and their source (push or api).</summary>
public sealed class CommitPipelineTests(ITestOutputHelper output)
{
    private static string Remote(TestServer server) => $"http://root:{TestServer.RootToken}@127.0.0.1:{server.Port}/root/demo.git";

    [Fact]
    public async Task A_push_compiles_local_includes_nested_and_by_glob_and_rules_exists()
    {
        await using var server = await TestServer.StartAsync(Stores.Sqlite);
        using var git = GitClient.Init();
        git.Write(".gitlab-ci.yml", "include:\n  - local: ci/base.yml\n  - local: 'ci/glob/*.yml'\nroot:\n  script: [echo root]\n");
        git.Write("ci/base.yml", "include: ci/nested/deep.yml\nbase:\n  script: [echo base]\n");
        git.Write("ci/nested/deep.yml", "deep:\n  script: [echo deep]\n");
        git.Write("ci/glob/one.yml", "one:\n  script: [echo one]\n");
        git.Write("ci/glob/two.yml", "two:\n  script: [echo two]\n  rules:\n    - exists: [Dockerfile]\n");
        git.Write("Dockerfile", "FROM scratch\n");
        git.Commit("first");

        var clock = Stopwatch.StartNew();
        git.Ok("push", "--quiet", Remote(server), "main");
        var first = clock.Elapsed;

        var stores = server.Host.Stores;
        Assert.Equal(CiStatus.Pending, (await stores.Pipelines.GetPipelineAsync(1))!.Status);
        Assert.Equal(["base", "deep", "one", "root", "two"], (await stores.Pipelines.CurrentJobsAsync(1)).Select(j => j.Name).Order(StringComparer.Ordinal));

        // Push → pipeline created with five files read, measured as the wall time of `git push`.
        var samples = git.TimePushes(Remote(server));
        Assert.Equal(5, (await stores.Pipelines.CurrentJobsAsync(11)).Count);
        output.WriteLine($"git push with 4 includes → pipeline created: first {first.TotalMilliseconds:F0} ms, then p50 {samples[5]:F0} ms, max {samples[^1]:F0} ms");
    }

    [Fact]
    public async Task A_pipeline_created_through_the_api_is_listed_and_run_with_source_api()
    {
        await using var server = await TestServer.StartAsync(Stores.Sqlite);
        using var git = GitClient.Init();
        git.Write(".gitlab-ci.yml", "include: ci/jobs.yml\n");
        git.Write("ci/jobs.yml", "build:\n  script: [echo build]\n");
        var sha = git.Commit("first");
        git.Ok("push", "--quiet", Remote(server), "main");

        var (status, created) = await ApiAsync(server, HttpMethod.Post, "projects/root%2Fdemo/pipeline?ref=main");
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("api", created.GetProperty("source").GetString());
        Assert.Equal(sha, created.GetProperty("sha").GetString());

        var (_, list) = await ApiAsync(server, HttpMethod.Get, "projects/root%2Fdemo/pipelines");
        Assert.Equal(["api", "push"], list.EnumerateArray().Select(p => p.GetProperty("source").GetString()));
        var (_, jobs) = await ApiAsync(server, HttpMethod.Get, "projects/root%2Fdemo/jobs");
        Assert.Equal(["api", "push"], jobs.EnumerateArray().Select(j => j.GetProperty("pipeline").GetProperty("source").GetString()));
        var context = StateJson.ReadContext((await server.Host.Stores.Pipelines.GetPipelineAsync(2))!.ContextJson);
        Assert.Equal(Relais.Pipelines.Context.PipelineSource.Api, context.Source);
        Assert.Null(context.ChangedFiles);

        var (_, runner) = await server.RegisterRunnerAsync();
        var sources = new Dictionary<long, string?>();
        while (await server.RequestJobAsync(runner) is { } job)
        {
            sources[job.JobInfo.PipelineId ?? 0] = job.Variables.FirstOrDefault(v => v.Key == "CI_PIPELINE_SOURCE")?.Value;
        }

        Assert.Equal("push", sources[1]);
        Assert.Equal("api", sources[2]);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> ApiAsync(TestServer server, HttpMethod method, string path)
    {
        using var request = new HttpRequestMessage(method, $"http://127.0.0.1:{server.Port}/api/v4/{path}");
        request.Headers.Add("PRIVATE-TOKEN", TestServer.RootToken);
        using var response = await server.Http.SendAsync(request);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, json.RootElement.Clone());
    }
}

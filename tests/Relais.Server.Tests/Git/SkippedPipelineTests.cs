using Relais.Protocol;
using Relais.Server.Tests.Api;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Git;

/// <summary>A push whose head commit says <c>[ci skip]</c> gets a pipeline with status <c>skipped</c> and no jobs, as on GitLab.</summary>
public sealed class SkippedPipelineTests
{
    private const string Config = """
        build:
          script: [echo build]
        """;

    private static string Remote(TestServer server) => $"http://root:{TestServer.RootToken}@127.0.0.1:{server.Port}/root/demo.git";

    [PythonGitLabFact]
    public async Task A_ci_skip_push_shows_a_skipped_pipeline_without_jobs_to_python_gitlab_and_a_normal_push_still_runs()
    {
        await using var server = await TestServer.StartAsync(Stores.Sqlite);
        using var git = GitClient.Init();
        git.Write(".gitlab-ci.yml", Config);
        git.Commit("first");
        git.Ok("push", "--quiet", Remote(server), "main");
        git.Write("deploy.yml", "image: app:1.0.1");
        var skippedSha = git.Commit("Update app to 1.0.1 [ci skip]");
        git.Ok("push", "--quiet", Remote(server), "main");

        var result = await PythonGitLab.RunAsync(server.Host.ExternalUrl, TestServer.RootToken, """
            p = gl.projects.get("root/demo")
            ps = p.pipelines.list(get_all=True)
            top = p.pipelines.get(ps[0].id)
            print(json.dumps({"statuses": [x.status for x in ps], "source": top.source, "sha": top.sha,
                              "detailed": top.detailed_status["group"], "jobs": len(top.jobs.list(get_all=True))}))
            """);

        Assert.Equal(["skipped", "pending"], result.GetProperty("statuses").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("push", result.GetProperty("source").GetString());
        Assert.Equal(skippedSha, result.GetProperty("sha").GetString());
        Assert.Equal("skipped", result.GetProperty("detailed").GetString());
        Assert.Equal(0, result.GetProperty("jobs").GetInt32());

        git.Write("deploy.yml", "image: app:1.1.0");
        git.Commit("a normal change");
        git.Ok("push", "--quiet", Remote(server), "main");
        var normal = await server.Host.Stores.Pipelines.GetPipelineAsync(3);
        Assert.Equal(CiStatus.Pending, normal!.Status);
    }

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task Skip_markers_in_any_case_make_a_skipped_pipeline_on_both_stores(string store)
    {
        await using var server = await TestServer.StartAsync(store);
        using var git = GitClient.Init();
        git.Write(".gitlab-ci.yml", Config);
        git.Commit("Flux: bump [Skip-CI]");
        git.Ok("push", "--quiet", Remote(server), "main");

        var pipeline = await server.Host.Stores.Pipelines.GetPipelineAsync(1);
        Assert.Equal(CiStatus.Skipped, pipeline!.Status);
        Assert.Empty(await server.Host.Stores.Pipelines.JobsOfPipelineAsync(1));
    }
}

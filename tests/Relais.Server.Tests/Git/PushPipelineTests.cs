using System.Diagnostics;
using Relais.Protocol;
using Relais.Server.Storage.Json;
using Relais.Server.Tests.Support;
using Xunit.Abstractions;

namespace Relais.Server.Tests.Git;

public sealed class PushPipelineTests(ITestOutputHelper output)
{
    private const string Config = """
        build:
          script: [echo build]
        docs:
          script: [echo docs]
          rules:
            - changes: [docs/**/*]
        """;

    private static string Remote(TestServer server, string token = TestServer.RootToken, string user = "root", string project = "root/demo") =>
        $"http://{user}:{token}@127.0.0.1:{server.Port}/{project}.git";

    [Fact]
    public async Task The_first_push_creates_the_project_and_a_pending_pipeline_at_the_pushed_sha()
    {
        await using var server = await TestServer.StartAsync(Stores.Sqlite);
        using var git = GitClient.Init();
        git.Write(".gitlab-ci.yml", Config);
        var sha = git.Commit("first");

        var clock = Stopwatch.StartNew();
        git.Ok("push", "--quiet", Remote(server), "main");
        clock.Stop();

        var stores = server.Host.Stores;
        var project = await stores.Projects.GetProjectAsync(1);
        Assert.Equal("root/demo", project!.Path);
        Assert.Equal("main", project.DefaultBranch);
        var pipeline = await stores.Pipelines.GetPipelineAsync(1);
        Assert.Equal(("main", sha, CiStatus.Pending), (pipeline!.Ref, pipeline.Sha, pipeline.Status));
        var context = StateJson.ReadContext(pipeline.ContextJson);
        Assert.Equal(new string('0', 40), context.BeforeSha);
        Assert.Null(context.ChangedFiles);
        Assert.True(context.RefProtected);
        Assert.Equal("first", context.CommitMessage);
        Assert.Equal("Ada Lovelace <ada@example.com>", context.CommitAuthor);
        var jobs = await stores.Pipelines.CurrentJobsAsync(1);
        Assert.Equal(["build", "docs"], jobs.Select(j => j.Name).Order(StringComparer.Ordinal));
        Assert.All(jobs, j => Assert.Equal(CiStatus.Pending, j.Status));

        var bare = Path.Combine(server.DataDir, "repos", "root", "demo.git");
        Assert.Equal(sha, new GitClient(bare).Ok("rev-parse", "refs/pipelines/1").Trim());
        Assert.Equal("true", new GitClient(bare).Ok("config", "http.receivepack").Trim());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"push took {clock.Elapsed}");

        // Push → pipeline created, measured as the wall time of `git push` (it returns once the pipeline exists).
        var samples = git.TimePushes(Remote(server));
        Assert.NotNull(await stores.Pipelines.GetPipelineAsync(11));
        output.WriteLine($"git push → pipeline created: p50 {samples[5]:F0} ms, max {samples[^1]:F0} ms");
    }

    [Fact]
    public async Task Workflow_rules_that_create_no_pipeline_leave_none_and_the_api_answers_as_gitlab_does()
    {
        await using var server = await TestServer.StartAsync(Stores.Sqlite);
        using var git = GitClient.Init();
        git.Write(".gitlab-ci.yml", "workflow:\n  rules:\n    - if: $CI_COMMIT_BRANCH == \"main\"\nbuild:\n  script: [echo build]\n");
        var sha = git.Commit("first");
        git.Ok("push", "--quiet", Remote(server), "main");
        git.Ok("push", "--quiet", Remote(server), "main:feature");

        using var list = await Api(server, HttpMethod.Get, "projects/root%2Fdemo/pipelines");
        var refs = System.Text.Json.JsonDocument.Parse(await list.Content.ReadAsStringAsync()).RootElement.EnumerateArray().Select(p => p.GetProperty("ref").GetString()).ToList();
        Assert.Equal(["main"], refs); // the push to feature made none: no failed pipeline in the list

        using var created = await Api(server, HttpMethod.Post, "projects/root%2Fdemo/pipeline?ref=feature");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, created.StatusCode);
        Assert.Equal("""{"message":{"base":["Pipeline filtered out by workflow rules."]}}""", await created.Content.ReadAsStringAsync());
        var bare = Path.Combine(server.DataDir, "repos", "root", "demo.git");
        Assert.Equal(sha, new GitClient(bare).Ok("rev-parse", "refs/heads/feature").Trim());
        Assert.NotEqual(0, new GitClient(bare).Run("rev-parse", "--verify", "--quiet", "refs/pipelines/2").Code);
    }

    private static async Task<HttpResponseMessage> Api(TestServer server, HttpMethod method, string path)
    {
        using var request = new HttpRequestMessage(method, $"http://127.0.0.1:{server.Port}/api/v4/{path}");
        request.Headers.Add("PRIVATE-TOKEN", TestServer.RootToken);
        return await server.Http.SendAsync(request);
    }

    [Fact]
    public async Task A_second_push_carries_before_sha_and_changed_files_for_rules_changes()
    {
        await using var server = await TestServer.StartAsync(Stores.Sqlite);
        using var git = GitClient.Init();
        git.Write(".gitlab-ci.yml", Config);
        var first = git.Commit("first");
        git.Ok("push", "--quiet", Remote(server), "main");

        git.Write("src/app.c", "int main;");
        var second = git.Commit("code only");
        git.Ok("push", "--quiet", Remote(server), "main");
        var stores = server.Host.Stores;
        var context = StateJson.ReadContext((await stores.Pipelines.GetPipelineAsync(2))!.ContextJson);
        Assert.Equal((first, second), (context.BeforeSha, context.Sha));
        Assert.Equal(["src/app.c"], context.ChangedFiles!);
        Assert.Equal(["build"], (await stores.Pipelines.CurrentJobsAsync(2)).Select(j => j.Name));

        git.Write("docs/guide.md", "# guide");
        git.Commit("docs");
        git.Ok("push", "--quiet", Remote(server), "main");
        Assert.Equal(["build", "docs"], (await stores.Pipelines.CurrentJobsAsync(3)).Select(j => j.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Tags_make_pipelines_deleted_refs_do_not_and_ci_skip_makes_a_skipped_one()
    {
        await using var server = await TestServer.StartAsync(Stores.Sqlite);
        using var git = GitClient.Init();
        git.Write(".gitlab-ci.yml", Config);
        var sha = git.Commit("first");
        git.Ok("push", "--quiet", Remote(server), "main");

        git.Ok("tag", "-a", "v1.0", "-m", "release");
        git.Ok("push", "--quiet", Remote(server), "v1.0");
        var stores = server.Host.Stores;
        var tag = await stores.Pipelines.GetPipelineAsync(2);
        Assert.Equal(("v1.0", sha), (tag!.Ref, tag.Sha));
        var context = StateJson.ReadContext(tag.ContextJson);
        Assert.True(context.IsTag);
        Assert.False(context.RefProtected);
        Assert.Null(context.ChangedFiles);

        git.Ok("push", "--quiet", Remote(server), "main:feature");
        Assert.Equal("feature", (await stores.Pipelines.GetPipelineAsync(3))!.Ref);
        git.Ok("push", "--quiet", Remote(server), ":feature");
        git.Ok("push", "--quiet", Remote(server), ":refs/tags/v1.0");
        Assert.Null(await stores.Pipelines.GetPipelineAsync(4));

        git.Write("README.md", "skip me");
        git.Commit("Update the readme [ci skip]");
        git.Write("README.md", "skip me too");
        git.Commit("Flux: bump [SKIP CI]");
        git.Ok("push", "--quiet", Remote(server), "main");
        var skipped = await stores.Pipelines.GetPipelineAsync(4);
        Assert.Equal(CiStatus.Skipped, skipped!.Status);
        Assert.Empty(await stores.Pipelines.JobsOfPipelineAsync(4));

        git.Ok("rm", "--quiet", ".gitlab-ci.yml");
        git.Commit("no more ci");
        git.Ok("push", "--quiet", Remote(server), "main");
        Assert.Null(await stores.Pipelines.GetPipelineAsync(5));
    }

    [Fact]
    public async Task An_invalid_configuration_gives_a_failed_pipeline_with_its_diagnostics()
    {
        await using var server = await TestServer.StartAsync(Stores.Sqlite);
        using var git = GitClient.Init();
        git.Write(".gitlab-ci.yml", "build:\n  script: 42\n  stage: nowhere\n");
        git.Commit("broken");
        git.Ok("push", "--quiet", Remote(server), "main");
        var pipeline = await server.Host.Stores.Pipelines.GetPipelineAsync(1);
        Assert.Equal(CiStatus.Failed, pipeline!.Status);
        Assert.False(string.IsNullOrEmpty(pipeline.DiagnosticsJson));
    }
}

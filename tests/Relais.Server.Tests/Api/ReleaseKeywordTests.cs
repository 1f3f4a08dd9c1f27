using System.Net;
using System.Text.Json;
using Relais.Server.Tests.Git;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Api;

/// <summary>
/// The <c>release:</c> keyword on the coordinator (issue #14): a job that succeeds creates its release as the
/// pipeline's user with its variables expanded (asset links too), a failed job none, a missing tag is made at the
/// job's commit, and a release that cannot be created fails the job with the reason in its log.
/// </summary>
public sealed class ReleaseKeywordTests
{
    private const string TagReleaseYaml = """
        release_job:
          script: [echo releasing]
          rules: [{if: $CI_COMMIT_TAG}]
          release:
            tag_name: $CI_COMMIT_TAG
            name: Version $CI_COMMIT_TAG
            description: Release $CI_COMMIT_TAG
            assets:
              links:
                - name: app $CI_COMMIT_TAG
                  url: https://example.com/$CI_COMMIT_TAG/app
                  filepath: /bin/app
                  link_type: package
        """;

    [Fact]
    public async Task A_tag_pipelines_job_creates_its_release_with_links_after_success_and_none_after_failure()
    {
        await using var api = await ApiFixture.StartAsync();
        var (_, runner) = await api.Server.RegisterRunnerAsync();
        using var git = Push(api, TagReleaseYaml);

        var succeeded = await TagJobAsync(api, git, runner, "v1");
        using (var done = await api.Server.UpdateJobAsync(succeeded, "success", 0))
        {
            Assert.Equal("success", done.Headers.GetValues("Job-Status").Single());
        }

        var failed = await TagJobAsync(api, git, runner, "v2");
        using (await api.Server.UpdateJobAsync(failed, "failed", 1, "script_failure"))
        {
        }

        var (status, release, _) = await api.GetAsync("projects/root%2Fdemo/releases/v1");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Version v1", release.GetProperty("name").GetString());
        Assert.Equal("Release v1", release.GetProperty("description").GetString());
        Assert.Equal("root", release.GetProperty("author").GetProperty("username").GetString());
        Assert.Equal(succeeded.GitInfo.Sha, release.GetProperty("commit").GetProperty("id").GetString());
        var link = release.GetProperty("assets").GetProperty("links").EnumerateArray().Single();
        Assert.Equal("app v1", link.GetProperty("name").GetString());
        Assert.Equal("https://example.com/v1/app", link.GetProperty("url").GetString());
        Assert.Equal("package", link.GetProperty("link_type").GetString());
        Assert.EndsWith("/root/demo/-/releases/v1/downloads/bin/app", link.GetProperty("direct_asset_url").GetString(), StringComparison.Ordinal);
        Assert.Contains("Creating release v1", await LogAsync(api, succeeded.Id), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("projects/root%2Fdemo/releases/v2")).Status);
        Assert.DoesNotContain("Creating release", await LogAsync(api, failed.Id), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_release_that_exists_already_fails_the_job_and_its_log_says_why()
    {
        await using var api = await ApiFixture.StartAsync();
        var (_, runner) = await api.Server.RegisterRunnerAsync();
        using var git = Push(api, TagReleaseYaml);
        var job = await TagJobAsync(api, git, runner, "v1");
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsync("projects/root%2Fdemo/releases", """{"tag_name": "v1", "description": "by hand"}""")).Status);

        using var done = await api.Server.UpdateJobAsync(job, "success", 0);

        Assert.Equal("failed", done.Headers.GetValues("Job-Status").Single());
        var (_, view, _) = await api.GetAsync($"projects/root%2Fdemo/jobs/{job.Id}");
        Assert.Equal("failed", view.GetProperty("status").GetString());
        Assert.Equal("script_failure", view.GetProperty("failure_reason").GetString());
        var log = await LogAsync(api, job.Id);
        Assert.Contains("Creating release v1", log, StringComparison.Ordinal);
        Assert.Contains("Release already exists", log, StringComparison.Ordinal);
        Assert.Equal("by hand", (await api.GetAsync("projects/root%2Fdemo/releases/v1")).Json.GetProperty("description").GetString());
    }

    [Fact]
    public async Task A_branch_jobs_release_makes_its_missing_tag_at_the_jobs_commit()
    {
        await using var api = await ApiFixture.StartAsync();
        var (_, runner) = await api.Server.RegisterRunnerAsync();
        using var git = Push(api, """
            release_job:
              script: [echo]
              rules: [{if: $CI_COMMIT_BRANCH}]
              release: {tag_name: "v0.$CI_PIPELINE_IID", description: "From $CI_COMMIT_BRANCH", tag_message: "Tagged by CI"}
            """);
        var job = (await api.Server.RequestJobAsync(runner))!;

        using (await api.Server.UpdateJobAsync(job, "success", 0))
        {
        }

        var tagName = "v0." + job.Variables.Single(v => v.Key == "CI_PIPELINE_IID").Value;
        var (status, release, _) = await api.GetAsync($"projects/root%2Fdemo/releases/{tagName}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("From main", release.GetProperty("description").GetString());
        var (_, tag, _) = await api.GetAsync($"projects/root%2Fdemo/repository/tags/{tagName}");
        Assert.Equal(job.GitInfo.Sha, tag.GetProperty("commit").GetProperty("id").GetString());
        Assert.Equal("Tagged by CI", tag.GetProperty("message").GetString());
    }

    private static GitClient Push(ApiFixture api, string yaml)
    {
        var git = GitClient.Init();
        git.Write(".gitlab-ci.yml", yaml);
        git.Commit("first");
        git.Ok("remote", "add", "origin", $"http://root:{TestServer.RootToken}@127.0.0.1:{api.Server.Port}/root/demo.git");
        git.Ok("push", "--quiet", "origin", "main");
        return git;
    }

    private static async Task<Relais.Protocol.Jobs.JobResponse> TagJobAsync(ApiFixture api, GitClient git, string runner, string tag)
    {
        git.Ok("tag", tag);
        git.Ok("push", "--quiet", "origin", tag);
        var job = (await api.Server.RequestJobAsync(runner))!;
        Assert.Equal(tag, job.GitInfo.Ref);
        return job;
    }

    private static async Task<string> LogAsync(ApiFixture api, long job)
    {
        var (_, _, response) = await api.GetAsync($"projects/root%2Fdemo/jobs/{job}/trace");
        return await response.Content.ReadAsStringAsync();
    }
}

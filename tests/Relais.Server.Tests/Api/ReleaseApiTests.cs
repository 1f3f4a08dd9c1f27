using System.Net;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Api;

/// <summary>
/// Releases (issue #14): created, listed, changed and deleted through python-gitlab and plain HTTP in GitLab's shape and
/// status codes, a missing tag made from <c>ref</c>, asset links, archive sources that download, and a job's
/// <c>CI_JOB_TOKEN</c> creating one as the user who ran the pipeline.
/// </summary>
public sealed class ReleaseApiTests
{
    [PythonGitLabFact]
    public async Task Python_gitlab_creates_lists_updates_and_deletes_a_release_with_asset_links()
    {
        await using var repo = await RepositoryApiFixture.StartAsync();

        var result = await PythonGitLab.RunAsync(repo.Api.Server.Host.ExternalUrl, TestServer.RootToken, """
            p = gl.projects.get("root/demo")
            r = p.releases.create({"name": "First", "tag_name": "v1.0", "ref": "main", "description": "notes",
                "assets": {"links": [{"name": "app", "url": "https://example.com/app", "link_type": "package", "direct_asset_path": "/bin/app"}]}})
            link = r.links.create({"name": "docs", "url": "https://example.com/docs"})
            got = p.releases.get("v1.0")
            got.description = "better notes"
            got.save()
            listed = p.releases.list(get_all=True)
            links = [l.name for l in p.releases.get("v1.0").links.list()]
            out = {"created": r.tag_name, "author": r.author["username"], "commit": r.commit["id"], "links": links,
                   "listed": [x.tag_name for x in listed], "description": p.releases.get("v1.0").description,
                   "direct": r.assets["links"][0]["direct_asset_url"], "sources": [s["format"] for s in r.assets["sources"]]}
            p.releases.delete("v1.0")
            out["after"] = len(p.releases.list())
            print(json.dumps(out))
            """);

        Assert.Equal("v1.0", result.GetProperty("created").GetString());
        Assert.Equal("root", result.GetProperty("author").GetString());
        Assert.Equal(repo.Second, result.GetProperty("commit").GetString());
        Assert.Equal(["app", "docs"], result.GetProperty("links").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal(["v1.0"], result.GetProperty("listed").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal("better notes", result.GetProperty("description").GetString());
        Assert.EndsWith("/root/demo/-/releases/v1.0/downloads/bin/app", result.GetProperty("direct").GetString(), StringComparison.Ordinal);
        Assert.Equal(["zip", "tar.gz", "tar"], result.GetProperty("sources").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal(0, result.GetProperty("after").GetInt32());
        var (status, tag, _) = await repo.Api.GetAsync($"projects/{repo.Project}/repository/tags/v1.0");
        Assert.Equal(HttpStatusCode.OK, status); // the release made its tag from ref, and deleting the release keeps it
        Assert.Equal(repo.Second, tag.GetProperty("commit").GetProperty("id").GetString());
    }

    [Fact]
    public async Task Release_calls_answer_GitLabs_status_codes_and_the_archive_sources_download()
    {
        await using var repo = await RepositoryApiFixture.StartAsync();
        var api = repo.Api;
        var releases = $"projects/{repo.Project}/releases";

        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await api.PostAsync(releases, """{"tag_name": "v9"}""")).Status); // no tag, no ref
        Assert.Equal(HttpStatusCode.BadRequest, (await api.PostAsync(releases, """{"name": "x"}""")).Status);
        var (badLink, badLinkJson, _) = await api.PostAsync(releases, """{"tag_name": "v1", "ref": "main", "assets": {"links": [{"name": "a", "url": "file:///etc/passwd"}]}}""");
        Assert.Equal(HttpStatusCode.BadRequest, badLink);
        Assert.True(badLinkJson.GetProperty("message").TryGetProperty("links.url", out _));

        var (created, release, _) = await api.PostAsync(releases, $$"""{"tag_name": "v1", "ref": "{{repo.First}}", "released_at": "2020-01-02T03:04:05Z"}""");
        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal("v1", release.GetProperty("name").GetString());
        Assert.Equal("2020-01-02T03:04:05.000Z", release.GetProperty("released_at").GetString());
        Assert.False(release.GetProperty("upcoming_release").GetBoolean());
        Assert.Equal(repo.First, release.GetProperty("commit").GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await api.PostAsync(releases, """{"tag_name": "v1"}""")).Status);
        await api.PostAsync(releases, """{"tag_name": "v2", "ref": "main"}""");

        var (missing, missingJson, _) = await api.GetAsync(releases + "/v404");
        Assert.Equal(HttpStatusCode.NotFound, missing);
        Assert.Equal("404 Not Found", missingJson.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync(releases, ApiFixture.AliceToken)).Status); // private project
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.PostAsync(releases, """{"tag_name": "v3", "ref": "main"}""", token: null)).Status);

        var (_, list, response) = await api.GetAsync(releases + "?per_page=1");
        Assert.Equal("v2", list[0].GetProperty("tag_name").GetString()); // newest released_at first
        Assert.Equal("2", response.Headers.GetValues("X-Total").Single());
        var (_, ascending, _) = await api.GetAsync(releases + "?sort=asc");
        Assert.Equal(["v1", "v2"], ascending.EnumerateArray().Select(r => r.GetProperty("tag_name").GetString()));

        using var noRedirect = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = api.Server.Http.BaseAddress };
        using var latest = new HttpRequestMessage(HttpMethod.Get, $"api/v4/{releases}/permalink/latest");
        latest.Headers.Add("PRIVATE-TOKEN", TestServer.RootToken);
        using var redirect = await noRedirect.SendAsync(latest);
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.Equal($"/api/v4/projects/{repo.Project}/releases/v2", redirect.Headers.Location!.OriginalString);

        var zip = ascending[0].GetProperty("assets").GetProperty("sources")[0].GetProperty("url").GetString()!;
        using var download = new HttpRequestMessage(HttpMethod.Get, zip);
        download.Headers.Add("PRIVATE-TOKEN", TestServer.RootToken);
        using var archive = await api.Server.Http.SendAsync(download);
        Assert.Equal(HttpStatusCode.OK, archive.StatusCode);
        Assert.Equal((byte)'P', (await archive.Content.ReadAsByteArrayAsync())[0]); // a zip

        var (deleted, deletedJson, _) = await api.SendAsync(HttpMethod.Delete, releases + "/v1");
        Assert.Equal(HttpStatusCode.OK, deleted);
        Assert.Equal("v1", deletedJson.GetProperty("tag_name").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await api.SendAsync(HttpMethod.Delete, releases + "/v1")).Status);
    }

    [Fact]
    public async Task A_jobs_CI_JOB_TOKEN_creates_a_release_authored_by_the_pipelines_user()
    {
        await using var repo = await RepositoryApiFixture.StartAsync();
        var api = repo.Api;
        var (_, runner) = await api.Server.RegisterRunnerAsync();
        repo.Git.Write(".gitlab-ci.yml", "build: {script: [echo], rules: [{if: $CI_COMMIT_BRANCH}]}\n");
        repo.Git.Commit("CI");
        repo.Git.Ok("push", "--quiet", repo.Remote, "main"); // the push pipeline's job
        var job = (await api.Server.RequestJobAsync(runner))!;

        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/v4/projects/{repo.Project}/releases")
        {
            Content = TestServer.Json("""{"tag_name": "from-job", "ref": "main", "description": "made by a job"}"""),
        };
        request.Headers.Add("JOB-TOKEN", job.Token);
        using var response = await api.Server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        var (_, release, _) = await api.GetAsync($"projects/{repo.Project}/releases/from-job");
        Assert.Equal("root", release.GetProperty("author").GetProperty("username").GetString());
        await api.Server.UpdateJobAsync(job, "success");
        using var late = new HttpRequestMessage(HttpMethod.Post, $"api/v4/projects/{repo.Project}/releases") { Content = TestServer.Json("""{"tag_name": "late", "ref": "main"}""") };
        late.Headers.Add("JOB-TOKEN", job.Token);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Server.Http.SendAsync(late)).StatusCode); // the job is over
    }

    [Fact]
    public async Task The_releases_page_lists_releases_and_a_links_direct_asset_url_redirects_to_it()
    {
        await using var repo = await RepositoryApiFixture.StartAsync();
        var api = repo.Api;
        await api.PostAsync($"projects/{repo.Project}/releases", """{"tag_name": "v1", "ref": "main", "name": "First <b>", "description": "notes here"}""");
        var (_, release, _) = await api.PostAsync($"projects/{repo.Project}/releases", """
            {"tag_name": "v2", "ref": "main", "assets": {"links": [{"name": "app", "url": "https://example.com/app.bin", "direct_asset_path": "/bin/app"}]}}
            """);
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = api.Server.Http.BaseAddress };
        client.DefaultRequestHeaders.Add("PRIVATE-TOKEN", TestServer.RootToken);

        var page = await client.GetStringAsync("root/demo/-/releases");
        Assert.True(page.IndexOf("data-tag=\"v2\"", StringComparison.Ordinal) < page.IndexOf("data-tag=\"v1\"", StringComparison.Ordinal)); // newest first
        Assert.Contains("First &lt;b&gt;", page, StringComparison.Ordinal);
        Assert.Contains("notes here", page, StringComparison.Ordinal);
        Assert.Contains("https://example.com/app.bin", await client.GetStringAsync("root/demo/-/releases/v2"), StringComparison.Ordinal);

        var direct = release.GetProperty("assets").GetProperty("links")[0].GetProperty("direct_asset_url").GetString()!;
        using var redirect = await client.GetAsync(direct);
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.Equal("https://example.com/app.bin", redirect.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("root/demo/-/releases/v2/downloads/nothing")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("root/demo/-/releases/v9")).StatusCode);
    }
}

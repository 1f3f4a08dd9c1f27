using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Relais.Server.Tests.Support;
using Xunit.Abstractions;

namespace Relais.Server.Tests.Git;

public sealed class GitAccessTests(ITestOutputHelper output)
{
    private static string Url(TestServer server, string user, string token, string project = "root/demo") =>
        $"http://{user}:{token}@127.0.0.1:{server.Port}/{project}.git";

    private static async Task<HttpResponseMessage> InfoRefsAsync(TestServer server, string project, string? user, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{project}.git/info/refs?service=git-upload-pack");
        if (user is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{user}:{token}")));
        }

        return await server.Http.SendAsync(request);
    }

    [Fact]
    public async Task Missing_or_wrong_credentials_get_401_with_a_basic_challenge()
    {
        await using var server = await TestServer.StartAsync(Stores.Sqlite);
        using var git = GitClient.Init();
        git.Write(".gitlab-ci.yml", "build:\n  script: [echo]\n");
        git.Commit("first");
        var (code, _, stderr) = git.Run("push", Url(server, "root", "glpat-wrong"), "main");
        Assert.NotEqual(0, code);
        Assert.Contains("Authentication failed", stderr, StringComparison.Ordinal);

        using var anonymous = await InfoRefsAsync(server, "root/demo", null, null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Basic realm=\"Relais\"", anonymous.Headers.WwwAuthenticate.Single().ToString());
        using var wrong = await InfoRefsAsync(server, "root/demo", "oauth2", "nope");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Null(await server.Host.Stores.Projects.GetProjectAsync(1));
    }

    [Fact]
    public async Task A_running_job_token_clones_its_own_project_only_and_cannot_push()
    {
        await using var server = await TestServer.StartAsync(Stores.Sqlite);
        using var git = GitClient.Init();
        git.Write(".gitlab-ci.yml", "build:\n  script: [echo]\n");
        var sha = git.Commit("first");
        git.Ok("push", "--quiet", Url(server, "oauth2", TestServer.RootToken), "main");
        git.Ok("push", "--quiet", Url(server, "root", TestServer.RootToken, "root/other"), "main");

        var (_, runner) = await server.RegisterRunnerAsync();
        var job = await server.RequestJobAsync(runner);
        Assert.Equal((1L, "main", sha), (job!.JobInfo.PipelineId, job.GitInfo.Ref, job.GitInfo.Sha));
        Assert.Equal(Url(server, "gitlab-ci-token", job.Token), job.GitInfo.RepoUrl);

        // What a runner does: init, fetch the refspecs from repo_url, check out the sha.
        using var clone = new GitClient();
        clone.Ok("init", "--quiet");
        clone.Ok("remote", "add", "origin", job.GitInfo.RepoUrl);
        clone.Ok(["fetch", "--quiet", "origin", .. job.GitInfo.Refspecs]);
        clone.Ok("checkout", "--quiet", sha);
        Assert.True(File.Exists(Path.Combine(clone.Dir, ".gitlab-ci.yml")));
        Assert.Equal(sha, clone.Ok("rev-parse", "refs/pipelines/1").Trim());

        var (code, _, stderr) = clone.Run("push", "origin", "HEAD:refs/heads/evil");
        Assert.NotEqual(0, code);
        Assert.Contains("403", stderr, StringComparison.Ordinal);
        using (var other = await InfoRefsAsync(server, "root/other", "gitlab-ci-token", job.Token))
        {
            Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        }

        using (await server.UpdateJobAsync(job, "success", 0))
        {
            // The job is over: its token no longer opens anything.
        }

        using var finished = await InfoRefsAsync(server, "root/demo", "gitlab-ci-token", job.Token);
        Assert.Equal(HttpStatusCode.Unauthorized, finished.StatusCode);
    }

    [Fact]
    public async Task A_20_MB_push_streams_through_and_clones_back()
    {
        await using var server = await TestServer.StartAsync(Stores.Sqlite);
        using var git = GitClient.Init();
        git.Write(".gitlab-ci.yml", "build:\n  script: [echo]\n");
        for (var i = 0; i < 20; i++)
        {
            File.WriteAllBytes(Path.Combine(git.Dir, $"blob{i}.bin"), RandomNumberGenerator.GetBytes(1024 * 1024));
        }

        var clock = Stopwatch.StartNew();
        var sha = git.Commit("big");
        output.WriteLine($"commit {clock.ElapsedMilliseconds} ms");
        clock.Restart();
        git.Ok("push", "--quiet", Url(server, "root", TestServer.RootToken), "main");
        var pushed = clock.Elapsed;
        Assert.Equal(sha, (await server.Host.Stores.Pipelines.GetPipelineAsync(1))!.Sha);

        using var clone = new GitClient();
        clock.Restart();
        clone.Ok("clone", "--quiet", Url(server, "root", TestServer.RootToken), "copy");
        Assert.Equal(sha, clone.Ok("-C", "copy", "rev-parse", "HEAD").Trim());
        output.WriteLine($"push {pushed.TotalMilliseconds:F0} ms, clone {clock.ElapsedMilliseconds} ms");
        Assert.True(pushed < TimeSpan.FromSeconds(20), $"push took {pushed}, clone {clock.Elapsed}");
    }

    [Fact]
    public async Task A_gzipped_upload_pack_request_is_unpacked_before_git_reads_it()
    {
        await using var server = await TestServer.StartAsync(Stores.Sqlite);
        using var git = GitClient.Init();
        git.Write(".gitlab-ci.yml", "build:\n  script: [echo]\n");
        var sha = git.Commit("first");
        git.Ok("push", "--quiet", Url(server, "root", TestServer.RootToken), "main");

        var want = $"want {sha}\n";
        var body = System.Text.Encoding.ASCII.GetBytes($"{want.Length + 4:x4}{want}00000009done\n");
        using var zipped = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(zipped, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(body);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "root/demo.git/git-upload-pack") { Content = new ByteArrayContent(zipped.ToArray()) };
        request.Content.Headers.ContentEncoding.Add("gzip");
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-git-upload-pack-request");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("root:" + TestServer.RootToken)));
        using var response = await server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-git-upload-pack-result", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Contains("PACK", System.Text.Encoding.ASCII.GetString(bytes), StringComparison.Ordinal);
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Relais.Server.Auth;
using Relais.Server.Tests.Git;
using Relais.Server.Tests.Support;
using Xunit.Abstractions;

namespace Relais.Server.Tests.Hostile;

/// <summary>
/// The probe of issue #12: junk tokens from one address (a reverse proxy, a NAT) must not lock out the good clients
/// behind it. Default limits (50 failures per address per minute); the good credentials sit in every place a
/// client puts one: the runner token and the job token in JSON bodies, <c>JOB-TOKEN</c>, <c>PRIVATE-TOKEN</c>,
/// Bearer, git's HTTP Basic, the session cookie.
/// </summary>
public sealed class RateLimitTests(ITestOutputHelper output)
{
    private const string TwoStages = """
        stages: [build, test]
        build: { stage: build, script: [echo build] }
        test: { stage: test, script: [echo test] }
        """;

    [Fact]
    public async Task Sixty_junk_tokens_from_one_address_do_not_lock_out_its_runner_its_users_or_git()
    {
        await using var server = await TestServer.StartAsync(Stores.Sqlite, longPoll: TimeSpan.FromMilliseconds(200));
        var (_, runner) = await server.RegisterRunnerAsync();
        Assert.Null(await server.RequestJobAsync(runner)); // warms the path up (204), so the figures below compare like with like
        using var git = GitClient.Init();
        git.Write(".gitlab-ci.yml", TwoStages);
        git.Commit("first");
        git.Ok("push", "--quiet", GitUrl(server, "root", TestServer.RootToken), "main");

        // Credentials that have not been used from this address before the junk (a remembered-good list cannot help).
        var fresh = "glpat-fresh-" + Guid.NewGuid().ToString("N");
        var root = (await server.Host.Stores.Identity.FindTokenAsync(Tokens.Hash(TestServer.RootToken), DateTimeOffset.UtcNow))?.User;
        await server.Host.Stores.Identity.AddPersonalAccessTokenAsync(root!.Id, "fresh", Tokens.Hash(fresh), DateTimeOffset.UtcNow);
        using var browser = RateLimitProbe.NewBrowser(server);
        var password = (await File.ReadAllTextAsync(Path.Combine(server.DataDir, RootPasswordBootstrap.FileName))).Trim();
        using (var signIn = await RateLimitProbe.SignInAsync(browser, "root", password))
        {
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        }

        // Without junk: the runner takes the first stage's job (the figure to compare with) and finishes it.
        var clock = Stopwatch.StartNew();
        var build = await server.RequestJobAsync(runner);
        var withoutJunk = clock.Elapsed;
        Assert.Equal("build", build!.JobInfo.Name);
        Assert.Equal(HttpStatusCode.OK, (await server.UpdateJobAsync(build, "success", 0)).StatusCode);

        var junk = await RateLimitProbe.SendJunkAsync(server.Http, 60);
        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, junk.Take(50));
        Assert.All(junk.Skip(50), s => Assert.Equal(HttpStatusCode.TooManyRequests, s));

        // The runner's token is in the JSON body: it gets its job at once.
        clock.Restart();
        var test = await server.RequestJobAsync(runner);
        var afterJunk = clock.Elapsed;
        Assert.Equal("test", test!.JobInfo.Name);
        output.WriteLine($"POST /jobs/request → 201: {withoutJunk.TotalMilliseconds:F1} ms without junk, {afterJunk.TotalMilliseconds:F1} ms just after 60 junk tokens");

        // Job updates: the job token in the JSON body of PUT /jobs/:id, and JOB-TOKEN on the trace and artifacts.
        using (var running = await server.UpdateJobAsync(test, "running"))
        {
            Assert.Equal(HttpStatusCode.OK, running.StatusCode);
        }

        using (var trace = await server.PatchTraceAsync(test, 0, "testing\n"))
        {
            Assert.Equal(HttpStatusCode.Accepted, trace.StatusCode);
        }

        using (var upload = await UploadAsync(server, test.Id, test.Token))
        {
            Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        }

        using (var verify = await server.Http.PostAsync("api/v4/runners/verify", TestServer.Json($$"""{"token":"{{runner}}"}""")))
        {
            Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
        }

        // root: a personal access token as PRIVATE-TOKEN and as Bearer, git with HTTP Basic, the web session.
        Assert.Equal(HttpStatusCode.OK, await RateLimitProbe.GetUserAsync(server.Http, fresh));
        using (var bearer = new HttpRequestMessage(HttpMethod.Get, "api/v4/projects") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", fresh) } })
        using (var response = await server.Http.SendAsync(bearer))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using (var clone = new GitClient())
        {
            clone.Ok("clone", "--quiet", GitUrl(server, "root", fresh), "byroot");
            clone.Ok("clone", "--quiet", GitUrl(server, "gitlab-ci-token", test.Token), "byjob");
        }

        using (var page = await browser.GetAsync("root/demo/-/pipelines"))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await server.UpdateJobAsync(test, "success", 0)).StatusCode);

        // The junk itself stays refused, in every place it was sent.
        Assert.All(await RateLimitProbe.SendJunkAsync(server.Http, 9), s => Assert.Equal(HttpStatusCode.TooManyRequests, s));
        using (var junkGit = await BasicAsync(server, "root", "glpat-junk-junk"))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, junkGit.StatusCode);
        }

        // A refused failure writes no audit row: a flood costs at most the limit's worth of rows.
        var audit = await server.Host.Stores.Audit.ListAuditEventsAsync(null, 0, 1000);
        Assert.Equal(50, audit.Items.Count(e => e.Action == "authentication_failed"));
    }

    private static string GitUrl(TestServer server, string user, string token) => $"http://{user}:{token}@127.0.0.1:{server.Port}/root/demo.git";

    private static async Task<HttpResponseMessage> BasicAsync(TestServer server, string user, string password)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "root/demo.git/info/refs?service=git-upload-pack");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return await server.Http.SendAsync(request);
    }

    private static async Task<HttpResponseMessage> UploadAsync(TestServer server, long jobId, string token)
    {
        var zip = Archives.Zip(("out.txt", "built"));
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/v4/jobs/{jobId}/artifacts?artifact_type=archive&artifact_format=zip")
        {
            Content = new MultipartFormDataContent { { new ByteArrayContent(zip), "file", "artifacts.zip" } },
        };
        request.Headers.Add("JOB-TOKEN", token);
        return await server.Http.SendAsync(request);
    }
}

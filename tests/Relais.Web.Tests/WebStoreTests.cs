using System.Net;
using System.Net.Http.Json;
using Relais.Server.Auth;
using Relais.Web.Tests.Support;
using Relais.Server.Tests.Support;

namespace Relais.Web.Tests;

/// <summary>The web UI's store queries on SQLite and PostgreSQL: sessions, pipeline summaries, jobs held by runners.</summary>
public sealed class WebStoreTests
{
    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task Sessions_pipeline_summaries_and_runner_jobs_work_on(string store)
    {
        await using var server = await WebServer.StartAsync(store);
        var created = await server.CreatePipelineAsync("one:\n  script: [echo 1]\ntwo:\n  script: [echo 2]\n");
        var runnerToken = Tokens.New(Tokens.RunnerPrefix);
        var runner = await server.Host.Stores.Runners.CreateRunnerAsync(Tokens.Hash(runnerToken), "store runner", "", true, DateTimeOffset.UtcNow);
        using var api = new HttpClient { BaseAddress = new Uri(server.Url + "/") };
        using var claimed = await api.PostAsJsonAsync("api/v4/jobs/request", new { token = runnerToken, info = new { name = "t" } });
        Assert.Equal(HttpStatusCode.Created, claimed.StatusCode);

        using var client = server.NewClient(out _);
        using (var signIn = await WebServer.SignInAsync(client, "root", WebServer.RootPassword))
        {
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        }

        var list = await client.GetStringAsync("root/demo/-/pipelines");
        Assert.Contains($">#{created.Id}</a>", list);
        Assert.Contains("> running</span>", list);
        Assert.Matches("<td data-label=\"Duration\">[0-9]+s</td>", list); // a job started: the summary has a start time

        var runners = await client.GetStringAsync("admin/runners");
        var running = (await server.Host.Stores.Runners.ProcessingJobsAsync()).Single();
        Assert.Equal(runner.Id, running.RunnerId);
        Assert.Equal("root/demo", running.ProjectPath);
        Assert.Contains($"href=\"/root/demo/-/jobs/{running.Id}\"", runners);

        using var signOut = await client.PostAsync("users/sign_out", new FormUrlEncodedContent(new Dictionary<string, string> { ["authenticity_token"] = WebServer.HiddenToken(runners) }));
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("admin/runners")).StatusCode);
    }

    [Fact]
    public async Task Web_sign_ins_and_actions_are_audited_and_failed_sign_ins_are_rate_limited()
    {
        await using var server = await WebServer.StartAsync(configure: o => o with { AuthThrottle = new() { FailuresPerAddress = 3, FailuresPerKey = 3 } });
        var created = await server.CreatePipelineAsync("one:\n  script: [echo 1]\n");
        using var client = server.NewClient(out _);
        using (var ok = await WebServer.SignInAsync(client, "root", WebServer.RootPassword))
        {
            Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        }

        var page = await client.GetStringAsync($"root/demo/-/pipelines/{created.Id}");
        using (var cancel = await client.PostAsync($"root/demo/-/pipelines/{created.Id}/cancel", new FormUrlEncodedContent(new Dictionary<string, string> { ["authenticity_token"] = WebServer.HiddenToken(page) })))
        {
            Assert.Equal(HttpStatusCode.Redirect, cancel.StatusCode);
        }

        var statuses = new List<HttpStatusCode>();
        using var stranger = server.NewClient(out _);
        var token = WebServer.HiddenToken(await stranger.GetStringAsync("users/sign_in"));
        for (var i = 0; i < 5; i++)
        {
            using var wrong = await stranger.PostAsync("users/sign_in", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["authenticity_token"] = token, ["username"] = "root", ["password"] = "guess " + i,
            }));
            statuses.Add(wrong.StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, statuses[0]);
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        var audit = (await server.Host.Stores.Audit.ListAuditEventsAsync(null, 0, 100)).Items.Select(e => (e.Action, e.AuthorName)).ToList();
        Assert.Contains(("web_signed_in", "root"), audit);
        Assert.Contains(("pipeline_canceled", "root"), audit);
        Assert.Contains(audit, e => e.Action == "authentication_failed");
    }
}

using System.Net;
using System.Net.Http.Json;
using Relais.Server.Auth;
using Relais.Web.Tests.Support;

namespace Relais.Web.Tests;

/// <summary>The web UI's store queries on SQLite and PostgreSQL: sessions, pipeline summaries, jobs held by runners.</summary>
public sealed class WebStoreTests
{
    [Theory]
    [MemberData(nameof(WebStores.All), MemberType = typeof(WebStores))]
    public async Task Sessions_pipeline_summaries_and_runner_jobs_work_on(string store)
    {
        await using var server = await WebServer.StartAsync(store);
        var created = await server.CreatePipelineAsync("one:\n  script: [echo 1]\ntwo:\n  script: [echo 2]\n");
        var runnerToken = Tokens.New(Tokens.RunnerPrefix);
        var runner = await server.Store.CreateRunnerAsync(Tokens.Hash(runnerToken), "store runner", "", true, DateTimeOffset.UtcNow);
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
        var running = (await server.Store.ProcessingJobsAsync()).Single();
        Assert.Equal(runner.Id, running.RunnerId);
        Assert.Equal("root/demo", running.ProjectPath);
        Assert.Contains($"href=\"/root/demo/-/jobs/{running.Id}\"", runners);

        using var signOut = await client.PostAsync("users/sign_out", new FormUrlEncodedContent(new Dictionary<string, string> { ["authenticity_token"] = WebServer.HiddenToken(runners) }));
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("admin/runners")).StatusCode);
    }
}

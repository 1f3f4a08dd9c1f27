using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Relais.Protocol;
using Relais.Server.Tests.Support;
using Xunit.Abstractions;

namespace Relais.Server.Tests.Reliability;

/// <summary>
/// PostgreSQL stopped under a running coordinator (a private cluster made by scripts/postgres.sh, so the shared test
/// cluster is not disturbed): requests get 503 with a JSON message, not 500; once PostgreSQL is back the coordinator
/// serves again by itself and the job claimed before the outage finishes normally.
/// </summary>
public sealed class DatabaseOutageTests(ITestOutputHelper output)
{
    [PostgresFact]
    public async Task Requests_get_503_while_postgres_is_down_and_work_again_once_it_is_back()
    {
        await using var cluster = await PrivatePostgres.StartAsync();
        var server = await TestServer.StartAsync(Stores.Postgres, database: cluster.ConnectionString, longPoll: TimeSpan.FromMilliseconds(300));
        server.KeepData = true; // the database belongs to the private cluster, not to the shared one TestServer would drop from
        try
        {
            var (_, runner) = await server.RegisterRunnerAsync();
            var created = await server.CreatePipelineAsync("build:\n  script: [make]\ntest:\n  stage: test\n  script: [make test]\n");
            var job = await server.RequestJobAsync(runner);
            Assert.NotNull(job);
            using (var patch = await server.PatchTraceAsync(job, 0, "before the outage\n"))
            {
                Assert.Equal(HttpStatusCode.Accepted, patch.StatusCode);
            }

            await cluster.StopAsync();
            foreach (var request in new Func<Task<HttpResponseMessage>>[]
            {
                () => server.Http.SendAsync(Get("api/v4/projects")),
                () => server.UpdateJobAsync(job, "success"),
                () => server.Http.PostAsync("api/v4/jobs/request", TestServer.Json($$$"""{"token":"{{{runner}}}"}""")),
            })
            {
                using var response = await request();
                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                Assert.Contains("database unavailable", body.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
            }

            await cluster.StartAgainAsync();
            var watch = Stopwatch.StartNew();
            while (true)
            {
                using var response = await server.Http.SendAsync(Get("api/v4/projects"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    break;
                }

                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), "the server did not reconnect");
                await Task.Delay(200);
            }

            output.WriteLine($"serving again {watch.Elapsed.TotalMilliseconds:0} ms after PostgreSQL was back");
            using (var patch = await server.PatchTraceAsync(job, 18, "after the outage\n"))
            {
                Assert.Equal(HttpStatusCode.Accepted, patch.StatusCode);
            }

            using (var done = await server.UpdateJobAsync(job, "success"))
            {
                Assert.Equal(HttpStatusCode.OK, done.StatusCode);
            }

            var next = await server.RequestJobAsync(runner) ?? await server.RequestJobAsync(runner);
            Assert.NotNull(next);
            Assert.Equal("test", next.JobInfo.Name);
            var jobs = await server.Host.Stores.Pipelines.JobsOfPipelineAsync(created.Id);
            Assert.Equal([("build", CiStatus.Success), ("test", CiStatus.Running)], jobs.Select(j => (j.Name, j.Status)));
            Assert.Equal("before the outage\nafter the outage\n", await File.ReadAllTextAsync(Path.Combine(server.DataDir, "traces", $"{job.Id}.log")));
        }
        finally
        {
            await server.DisposeAsync();
            Directory.Delete(server.DataDir, recursive: true);
        }
    }

    private static HttpRequestMessage Get(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("PRIVATE-TOKEN", TestServer.RootToken);
        return request;
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Relais.Pipelines.Context;
using Relais.Pipelines.Sources;
using Relais.Protocol;
using Relais.Protocol.Jobs;
using Relais.Server.Pipelines;

namespace Relais.Server.Tests.Support;

/// <summary>
/// The real server on 127.0.0.1 (a free port) with its data in a temp dir and its state in SQLite (a file there) or
/// PostgreSQL (a fresh database, see <see cref="Stores"/>), and a client that speaks the runner API.
/// </summary>
internal sealed class TestServer : IAsyncDisposable
{
    public const string RootToken = "glpat-test-root-token";

    private TestServer(ServerHost host, string dataDir, int port, string? database)
    {
        Host = host;
        DataDir = dataDir;
        Port = port;
        Database = database;
        Http = new HttpClient { BaseAddress = new Uri(host.ExternalUrl + "/"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public ServerHost Host { get; }

    public string DataDir { get; }

    public int Port { get; }

    /// <summary>The PostgreSQL connection string of this server's database; null on SQLite.</summary>
    public string? Database { get; }

    public HttpClient Http { get; }

    /// <summary>Keep the data dir and database after disposal (to start again on them).</summary>
    public bool KeepData { get; set; }

    /// <summary>
    /// Starts a server on <paramref name="store"/> (<see cref="Stores.Sqlite"/> or <see cref="Stores.Postgres"/>): on a
    /// new data dir and database, or on <paramref name="dataDir"/> and <paramref name="database"/> (a restart, or a
    /// second coordinator sharing them).
    /// </summary>
    public static async Task<TestServer> StartAsync(
        string store, string? dataDir = null, int? port = null, TimeSpan? longPoll = null, string? database = null,
        Func<ServerOptions, ServerOptions>? configure = null)
    {
        dataDir ??= Path.Combine(Path.GetTempPath(), "relais-server-tests", Guid.NewGuid().ToString("N"));
        var created = database is null ? await Stores.CreateDatabaseAsync(store) : null;
        database ??= created;
        for (var attempt = 1; ; attempt++)
        {
            var p = port ?? FreePorts.Next();
            try
            {
                var options = new ServerOptions
                {
                    DataDir = dataDir,
                    Urls = $"http://127.0.0.1:{p}",
                    Database = database,
                    RootToken = RootToken,
                    LongPoll = longPoll ?? TimeSpan.FromSeconds(2),
                };
                var host = await ServerHost.StartAsync(configure is null ? options : configure(options));
                return new TestServer(host, dataDir, p, database);
            }
            catch (Microsoft.AspNetCore.Connections.AddressInUseException) when (port is null && attempt < 5)
            {
                // Another test took the free port between FreePorts.Next() and the bind: take another.
            }
            catch
            {
                await Stores.DropDatabaseAsync(created); // a failed start leaves no database behind
                throw;
            }
        }
    }

    public Task<CreatedPipeline> CreatePipelineAsync(string yaml, string project = "root/demo") => CreatePipelineAsync(yaml, project, "main");

    public async Task<CreatedPipeline> CreatePipelineAsync(string yaml, string project, string gitRef)
    {
        var ctx = Host;
        var p = await ctx.Stores.Projects.EnsureProjectAsync(project, "main", DateTimeOffset.UtcNow);
        return await ctx.Pipelines.CreateAsync(p, new PipelineInput(InMemoryConfigSource.Single(yaml), new PipelineContext { Ref = gitRef, Sha = new string('a', 40) }));
    }

    public async Task<(long Id, string Token)> RegisterRunnerAsync(string tags = "", bool runUntagged = true)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v4/user/runners")
        {
            Content = JsonContent.Create(new Dictionary<string, object> { ["runner_type"] = "instance_type", ["tag_list"] = tags, ["run_untagged"] = runUntagged }),
        };
        request.Headers.Add("PRIVATE-TOKEN", RootToken);
        using var response = await Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (doc.RootElement.GetProperty("id").GetInt64(), doc.RootElement.GetProperty("token").GetString()!);
    }

    /// <summary>One <c>POST /jobs/request</c>: the job, or null on 204.</summary>
    public async Task<JobResponse?> RequestJobAsync(string runnerToken)
    {
        using var response = await Http.PostAsync("api/v4/jobs/request", Json($$$"""{"token":"{{{runnerToken}}}","info":{"name":"test"}}"""));
        if (response.StatusCode == HttpStatusCode.NoContent)
        {
            Assert.True(response.Headers.Contains("X-GitLab-Last-Update"));
            return null;
        }

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return ProtocolJson.ReadJob(await response.Content.ReadAsStringAsync());
    }

    public async Task<HttpResponseMessage> UpdateJobAsync(JobResponse job, string state, int? exitCode = null, string? reason = null)
    {
        var body = new Dictionary<string, object?> { ["token"] = job.Token, ["state"] = state, ["exit_code"] = exitCode, ["failure_reason"] = reason };
        return await Http.PutAsync($"api/v4/jobs/{job.Id}", JsonContent.Create(body));
    }

    public async Task<HttpResponseMessage> PatchTraceAsync(JobResponse job, long start, string text)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"api/v4/jobs/{job.Id}/trace") { Content = new ByteArrayContent(bytes) };
        request.Headers.Add("JOB-TOKEN", job.Token);
        request.Content.Headers.TryAddWithoutValidation("Content-Range", $"{start}-{start + bytes.Length - 1}");
        return await Http.SendAsync(request);
    }

    public static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
        if (!KeepData)
        {
            await DeleteDataAsync();
        }
    }

    public async Task DeleteDataAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(DataDir))
        {
            Directory.Delete(DataDir, recursive: true);
        }

        await Stores.DropDatabaseAsync(Database);
    }
}

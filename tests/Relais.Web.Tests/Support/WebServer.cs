using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Relais.Pipelines.Context;
using Relais.Pipelines.Sources;
using Relais.Runner.Agent;
using Relais.Server;
using Relais.Server.Auth;
using Relais.Server.Pipelines;
using Relais.Server.Storage;
using Relais.Server.Tests.Support;

namespace Relais.Web.Tests.Support;

/// <summary>
/// The real coordinator on 127.0.0.1 (a free port), SQLite in a temp dir, root with a known token and password,
/// and helpers to create pipelines, sign in over HTTP, and run real jobs with a <see cref="RunnerAgent"/> (shell
/// executor) talking the runner API.
/// </summary>
internal sealed partial class WebServer : IAsyncDisposable
{
    public const string RootToken = "glpat-web-test-root-token";
    public const string RootPassword = "correct horse battery staple";
    public const string AliceToken = "glpat-web-test-alice-token";

    private readonly List<(RunnerAgent Agent, Task Running, CancellationTokenSource Stop)> _runners = [];

    private WebServer(ServerHost host, string dataDir, string? database)
    {
        Host = host;
        DataDir = dataDir;
        Database = database;
    }

    /// <summary>The PostgreSQL database of this server (dropped at disposal); null on SQLite.</summary>
    public string? Database { get; }

    public ServerHost Host { get; }

    public string DataDir { get; }

    public string Url => Host.ExternalUrl;

    /// <summary>Starts a server on SQLite, or on a new PostgreSQL database when <paramref name="store"/> is <see cref="Stores.Postgres"/>.</summary>
    public static async Task<WebServer> StartAsync(string store = Stores.Sqlite, Func<ServerOptions, ServerOptions>? configure = null)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "relais-web-tests", Guid.NewGuid().ToString("N"));
        var database = await Stores.CreateDatabaseAsync(store);
        configure ??= o => o;
        var host = await StartHostAsync(port => configure(new ServerOptions
        {
            DataDir = dataDir,
            Urls = $"http://127.0.0.1:{port}",
            Database = database,
            RootToken = RootToken,
            RootPassword = RootPassword,
            LongPoll = TimeSpan.FromSeconds(2),
        }));
        var alice = await host.Stores.Identity.AddUserAsync("alice", false, DateTimeOffset.UtcNow);
        await host.Stores.Identity.AddPersonalAccessTokenAsync(alice!.Id, "api", Tokens.Hash(AliceToken), DateTimeOffset.UtcNow);
        return new WebServer(host, dataDir, database);
    }

    /// <summary>A pipeline from <paramref name="yaml"/> in <paramref name="project"/> (created private if new).</summary>
    public async Task<CreatedPipeline> CreatePipelineAsync(string yaml, string project = "root/demo", string gitRef = "main")
    {
        var p = await Host.Stores.Projects.EnsureProjectAsync(project, "main", DateTimeOffset.UtcNow);
        return await Host.Pipelines.CreateAsync(p, new PipelineInput(
            InMemoryConfigSource.Single(yaml), new PipelineContext { Ref = gitRef, Sha = new string('a', 40), CommitMessage = "Test commit" }));
    }

    /// <summary>The id of the current attempt of job <paramref name="name"/> in the pipeline.</summary>
    public async Task<long> JobIdAsync(long pipelineId, string name) =>
        (await Host.Stores.Pipelines.CurrentJobsAsync(pipelineId)).Single(j => j.Name == name).Id;

    /// <summary>Starts a real runner (shell executor, untagged jobs) in this process, talking HTTP to the server.</summary>
    public async Task StartRunnerAsync()
    {
        var token = Tokens.New(Tokens.RunnerPrefix);
        await Host.Stores.Runners.CreateRunnerAsync(Tokens.Hash(token), "web test runner", "", runUntagged: true, DateTimeOffset.UtcNow);
        var entry = new RunnerEntry
        {
            Name = "web-tests",
            Url = new Uri(Url + "/"),
            Token = token,
            BuildsDir = Path.Combine(DataDir, "builds"),
            CacheDir = Path.Combine(DataDir, "cache"),
        };
        var agent = new RunnerAgent(
            new AgentConfig { Concurrent = 2, ShutdownTimeout = TimeSpan.FromSeconds(5), Runners = [entry] },
            new AgentTimings { TraceInterval = TimeSpan.FromMilliseconds(300), CheckInterval = TimeSpan.FromMilliseconds(500) });
        var stop = new CancellationTokenSource();
        await agent.VerifyAsync(stop.Token);
        _runners.Add((agent, agent.RunAsync(stop.Token, stop.Token), stop));
    }

    /// <summary>An HTTP client with its own cookie jar that does not follow redirects (tests look at them).</summary>
    public HttpClient NewClient(out CookieContainer cookies)
    {
        cookies = new CookieContainer();
        var handler = new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false };
        return new HttpClient(handler) { BaseAddress = new Uri(Url + "/"), Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>Signs a client in through the sign-in form (password or token) and returns the response to the POST.</summary>
    public static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string? username, string secret, bool withToken = false)
    {
        var form = await client.GetStringAsync("users/sign_in");
        var fields = new Dictionary<string, string> { ["authenticity_token"] = HiddenToken(form) };
        if (withToken)
        {
            fields["personal_access_token"] = secret;
        }
        else
        {
            fields["username"] = username!;
            fields["password"] = secret;
        }

        return await client.PostAsync("users/sign_in", new FormUrlEncodedContent(fields));
    }

    /// <summary>The first anti-forgery token in a page.</summary>
    public static string HiddenToken(string html) => Token().Match(html).Groups[1].Value;

    public async ValueTask DisposeAsync()
    {
        foreach (var (agent, running, stop) in _runners)
        {
            await stop.CancelAsync();
            try
            {
                await running.WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (Exception e) when (e is OperationCanceledException or TimeoutException)
            {
                // Stopping is best effort here.
            }

            agent.Dispose();
            stop.Dispose();
        }

        await Host.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await Stores.DropDatabaseAsync(Database);
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
            // A runner's build dir may still be busy; the temp dir is cleaned eventually.
        }
    }

    /// <summary>Starts the server on a free port; another test may take that port before the bind, then on another.</summary>
    private static async Task<ServerHost> StartHostAsync(Func<int, ServerOptions> options)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await ServerHost.StartAsync(options(FreePorts.Next()));
            }
            catch (Microsoft.AspNetCore.Connections.AddressInUseException) when (attempt < 5)
            {
            }
        }
    }

    [GeneratedRegex("name=\"authenticity_token\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}

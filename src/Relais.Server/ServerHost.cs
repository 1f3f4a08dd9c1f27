using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Relais.Driver;
using Relais.Server.Api;
using Relais.Server.Artifacts;
using Relais.Server.Auth;
using Relais.Server.Git;
using Relais.Server.Logs;
using Relais.Server.Pipelines;
using Relais.Server.Queue;
using Relais.Server.Reliability;
using Relais.Server.RunnerApi;
using Relais.Server.Security;
using Relais.Server.Storage;

namespace Relais.Server;

/// <summary>
/// Builds and runs the coordinator from <see cref="ServerOptions"/>. Every part is constructed here, in one
/// visible place, and handed to the endpoints of each feature; nothing is looked up at run time.
/// </summary>
public sealed class ServerHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly IDatabase _database;

    private ServerHost(WebApplication app, IDatabase database, ServerContext context)
    {
        _app = app;
        _database = database;
        Context = context;
    }

    /// <summary>The watchdog and the re-arming of stored timers and resource groups.</summary>
    public ReliabilityService? Reliability { get; private set; }

    /// <summary>The running server's parts (tests create pipelines through <see cref="ServerContext.Pipelines"/>).</summary>
    public ServerContext Context { get; }

    /// <summary>The address put in payloads and links.</summary>
    public string ExternalUrl => Context.Options.ExternalUrl!;

    /// <summary>Migrates the database, creates root on the first start, and starts listening.</summary>
    public static async Task<ServerHost> StartAsync(ServerOptions options, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var dataDir = Path.GetFullPath(options.DataDir);
        Directory.CreateDirectory(dataDir);
        options = options with
        {
            DataDir = dataDir,
            ExternalUrl = (options.ExternalUrl ?? options.Urls.Split(';')[0]).TrimEnd('/'),
        };

        var database = Databases.Open(options.Database, dataDir);
        await database.MigrateAsync(cancel);
        var secrets = SecretKeyFile.Open(dataDir, options.SecretKey);
        // One store per aggregate, over the one database (one pipeline store: it caches parsed states).
        var pipelines = new SqlPipelineStore(database);
        var projects = new SqlProjectStore(database);
        var identity = new SqlIdentityStore(database);
        var variables = new SqlVariableStore(database, secrets);
        var artifacts = new SqlArtifactStore(database);
        var store = new ServerStores(pipelines, projects, identity, new SqlRunnerStore(database), variables, artifacts, new SqlAuditStore(database));
        await SecretKeyFile.VerifyAsync(variables, secrets, cancel);
        await RootBootstrap.RunAsync(identity, dataDir, options.RootToken, options.Output, options.Time.GetUtcNow(), cancel);
        await RootPasswordBootstrap.RunAsync(identity, dataDir, options.RootPassword, options.Output, cancel);

        var signal = new QueueSignal();
        var output = options.Output;
        var driver = new PipelineDriver(
            pipelines,
            pipelines,
            new QueueWakingHooks(signal),
            options.Time,
            (pipelineId, e) => output.WriteLine($"relais: the timer of pipeline {pipelineId} failed: {e.GetType().Name}: {e.Message}"));
        var payloads = new PayloadFactory(pipelines, projects, artifacts, options.ExternalUrl!, secrets);
        var context = new ServerContext(
            options,
            store,
            driver,
            new PipelineCreator(pipelines, projects, variables, driver, options.Time, options.ExternalUrl!, secrets),
            new JobQueue(pipelines, driver, payloads, signal, options.Time, options.QueueRecheck),
            signal,
            new TraceStore(Path.Combine(dataDir, "traces")),
            new ArtifactBlobs(Path.Combine(dataDir, "artifacts")),
            options.Time)
        {
            Heartbeats = new JobHeartbeats(pipelines, options.Time, options.JobHeartbeatTimeout),
        };

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseUrls(options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries));
        // Errors and warnings only, one line each on stderr: a request that fails must leave a trace for the operator.
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.AddFilter((category, level) => level >= LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = options.Limits.ApiBody);
        var app = builder.Build();
        app.Lifetime.ApplicationStopping.Register(context.Queue.Stop);
        DatabaseErrors.Use(app, options.Output);
        HostileInputGuard.Use(app, options.Limits);
        AuthGuard.Use(app, new AuthGuard(new AuthThrottle(options.AuthThrottle, options.Time), options.AuthThrottle, context));
        Map(app, context);
        await app.StartAsync(cancel);
        return new ServerHost(app, database, context)
        {
            Reliability = ReliabilityService.Start(pipelines, driver, context.Heartbeats, signal, options),
        };
    }

    /// <summary>Runs until <paramref name="cancel"/> fires, then stops gracefully.</summary>
    public async Task WaitForShutdownAsync(CancellationToken cancel)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancel);
        }
        catch (OperationCanceledException)
        {
            // Asked to stop.
        }

        await StopReliabilityAsync();
        await Context.Driver.StopAsync(CancellationToken.None);
        await _app.StopAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await StopReliabilityAsync();
        await Context.Driver.StopAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _database.DisposeAsync();
    }

    private async Task StopReliabilityAsync()
    {
        if (Reliability is { } reliability)
        {
            Reliability = null;
            await reliability.DisposeAsync();
        }
    }

    private static void Map(WebApplication app, ServerContext context)
    {
        RunnerEndpoints.Map(app, context);
        JobRequestEndpoint.Map(app, context);
        JobUpdateEndpoints.Map(app, context);
        ArtifactEndpoints.Map(app, context);
        var repositories = new GitRepositories(Path.Combine(context.Options.DataDir, "repos"));
        SmartHttpEndpoints.Map(app, context, repositories);
        ApiEndpoints.Map(app, context, new RepositoryConfigSource(repositories, new StoredConfigSource(context.Store)));
        Web.WebEndpoints.Map(app, context);
        app.MapFallback(() => ApiResults.Error(StatusCodes.Status404NotFound));
    }
}

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
using Relais.Server.Pipelines.Downstream;
using Relais.Server.Queue;
using Relais.Server.Registry;
using Relais.Server.Reliability;
using Relais.Server.RunnerApi;
using Relais.Server.Security;
using Relais.Server.Ssh;
using Relais.Server.Storage;
using Relais.Server.Web;
using Relais.Server.Web.Logs;
using Relais.Server.Web.Pages;
using Relais.Server.Webhooks;

namespace Relais.Server;

/// <summary>
/// Builds and runs the coordinator from <see cref="ServerOptions"/>. Every part is constructed here, in one
/// visible place, and handed to the endpoints of each feature; nothing is looked up at run time.
/// </summary>
public sealed class ServerHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly IDatabase _database;
    private SshDaemon? _sshd;
    private RegistryService? _registry;

    private ServerHost(WebApplication app, IDatabase database, ServerOptions options, AggregateStores stores, PipelineDriver driver, PipelineCreator pipelines, TraceStore traces, ArtifactBlobs blobs)
    {
        _app = app;
        _database = database;
        Stores = stores;
        Driver = driver;
        Pipelines = pipelines;
        Traces = traces;
        Blobs = blobs;
        Options = options;
    }

    /// <summary>The watchdog and the re-arming of stored timers and resource groups.</summary>
    public ReliabilityService? Reliability { get; private set; }

    /// <summary>Outgoing webhooks: the delivery loop and the events (issue #16's deployments call <c>Webhooks.Events.DeploymentAsync</c>).</summary>
    public WebhookService? Webhooks { get; private set; }

    /// <summary>Deployments following their jobs (issue #16); tests stop it to play a crash before it caught up.</summary>
    public Environments.DeploymentTracker? Deployments { get; private set; }

    /// <summary>The container registry (issue #15); null when it is off.</summary>
    public RegistrySetup? Registry => _registry?.Setup;

    /// <summary>The sign-in password check (tests read how many hashes it computed).</summary>
    internal SignInPasswordCheck SignInPasswords { get; private init; } = null!;

    /// <summary>The stores, one per aggregate (the embedded runner registers through them; tests read and seed rows).</summary>
    public AggregateStores Stores { get; }

    /// <summary>The pipeline driver (stopped with the server).</summary>
    public PipelineDriver Driver { get; }

    /// <summary>Creates pipelines (tests create them directly, without a push).</summary>
    public PipelineCreator Pipelines { get; }

    /// <summary>The job logs on disk.</summary>
    public TraceStore Traces { get; }

    /// <summary>The artifact files on disk.</summary>
    public ArtifactBlobs Blobs { get; }

    /// <summary>The options the server runs with (data directory and external URL resolved).</summary>
    public ServerOptions Options { get; }

    /// <summary>The address put in payloads and links.</summary>
    public string ExternalUrl => Options.ExternalUrl!;

    /// <summary>Migrates the database, creates root on the first start, and starts listening.</summary>
    public static async Task<ServerHost> StartAsync(ServerOptions options, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var dataDir = Path.GetFullPath(options.DataDir);
        OwnerOnlyData.Secure(dataDir); // 0700, and owner-only entries: jobs and other OS users must not read it
        options = options with
        {
            DataDir = dataDir,
            ExternalUrl = (options.ExternalUrl ?? options.Urls.Split(';')[0]).TrimEnd('/'),
        };

        var ssh = await SshService.PrepareAsync(options, cancel);
        if (ssh is not null)
        {
            options = options with { SshUrlBase = ssh.UrlBase(options.ExternalUrl!) };
        }

        var registry = await RegistryService.PrepareAsync(options, cancel);
        var database = Databases.Open(options.Database, dataDir);
        await database.MigrateAsync(cancel);
        var secrets = SecretKeyFile.Open(dataDir, options.SecretKey);
        // One store per aggregate, over the one database (one pipeline store: it caches parsed states).
        var pipelines = new SqlPipelineStore(database);
        var projects = new SqlProjectStore(database);
        var identity = new SqlIdentityStore(database);
        var variables = new SqlVariableStore(database, secrets);
        var artifacts = new SqlArtifactStore(database);
        var runners = new SqlRunnerStore(database);
        var audit = new SqlAuditStore(database);
        var keys = new SqlKeyStore(database);
        var deployTokens = new SqlDeployTokenStore(database);
        var commitStatuses = new SqlCommitStatusStore(database);
        var groups = new SqlGroupStore(database);
        var members = new SqlMemberStore(database);
        var jobTokenScopes = new SqlJobTokenScopeStore(database);
        var jobPlayVariables = new SqlJobPlayVariableStore(database);
        await SecretKeyFile.VerifyAsync(variables, secrets, cancel);
        await RootBootstrap.RunAsync(identity, dataDir, options.RootToken, options.Output, options.Time.GetUtcNow(), cancel);
        await RootPasswordBootstrap.RunAsync(identity, dataDir, options.RootPassword, options.Output, cancel);

        var signal = new QueueSignal();
        var output = options.Output;
        var bridges = new BridgeInbox();
        var deploymentHooks = new Environments.DeploymentPipelineHooks(new BridgeHooks(new QueueWakingHooks(signal), bridges)); // issue #16: deployments follow their jobs
        var pipelineHooks = new WebhookPipelineHooks(deploymentHooks); // webhooks see every stored status change
        var driver = new PipelineDriver(
            pipelines,
            pipelines,
            pipelineHooks,
            options.Time,
            (pipelineId, e) => output.WriteLine($"relais: the timer of pipeline {pipelineId} failed: {e.GetType().Name}: {Relais.Protocol.LogText.Safe(e.Message)}"));
        var downstreamLinks = new SqlDownstreamStore(database);
        var jobTokens = new JobTokenCallers(pipelines, identity, members, jobTokenScopes, options.Time);
        var projectNeeds = new ProjectNeedArtifacts(jobTokens, projects, new RefArtifactJobs(pipelines, artifacts), artifacts);
        var clusters = new SqlClusterStore(database, secrets);
        var payloads = new PayloadFactory(pipelines, projects, artifacts, options.ExternalUrl!, secrets) { PlayVariableStore = jobPlayVariables, Links = downstreamLinks, ProjectNeeds = projectNeeds, Registry = registry?.Setup, Clusters = clusters };
        var creator = new PipelineCreator(pipelines, projects, variables, driver, options.Time, options.ExternalUrl!, secrets, new DeployTokenVariables(deployTokens, secrets, options.Time))
        {
            RegistryAddress = registry?.Setup.Address,
        };
        var trust = new ProjectTrust(projects, identity);
        var queue = new JobQueue(pipelines, driver, payloads, trust, signal, options.Time, options.QueueRecheck);
        var heartbeats = new JobHeartbeats(pipelines, options.Time, options.JobHeartbeatTimeout);
        var traces = new TraceStore(Path.Combine(dataDir, "traces"), options.MaxTraceSize);
        var blobs = new ArtifactBlobs(Path.Combine(dataDir, "artifacts"));
        var stores = new AggregateStores(pipelines, projects, identity, runners, variables, artifacts, audit, keys, deployTokens, commitStatuses, groups, members, jobTokenScopes, new SqlTriggerStore(database), new SqlScheduleStore(database), jobPlayVariables, new SqlWebhookStore(database), downstreamLinks, new SqlReleaseStore(database), new SqlPackageStore(database), new SqlContainerRepositoryStore(database), new SqlContainerExpirationPolicyStore(database), new SqlEnvironmentStore(database), new SqlDeploymentStore(database), clusters, new SqlDeploymentSettingsStore(database), new SqlEnvironmentJobEffectStore(database), new SqlProtectedEnvironmentStore(database), new SqlDeploymentApprovalStore(database));

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseUrls([.. options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries), .. registry?.ExtraListenUrl is { } realmUrl ? [realmUrl] : Array.Empty<string>()]);
        if (registry?.ExtraListenUrl is { } extra)
        {
            await options.Output.WriteLineAsync($"relais: also listening on {extra}: the registry sends Docker engines (the host's, in containers) there for tokens");
        }

        // Errors and warnings only, one line each on stderr: a request that fails must leave a trace for the operator.
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.FormatterName = Logging.OneLineLogFormatter.FormatterName)
            .AddConsoleFormatter<Logging.OneLineLogFormatter, Microsoft.Extensions.Logging.Console.ConsoleFormatterOptions>();
        builder.Logging.AddFilter((category, level) => level >= LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = options.Limits.ApiBody);
        var app = builder.Build();
        app.Lifetime.ApplicationStopping.Register(queue.Stop);
        NestedProjectPaths.Use(app); // routing, with nested namespaces folded into the {group} segment
        TrustedProxies.Use(app, options.TrustedProxies); // first after routing: everything after sees the forwarded client
        DatabaseErrors.Use(app, options.Output);
        HostileInputGuard.Use(app, options.Limits);
        var auditLog = new AuditLog(audit, options.Time);
        AuthGuard.Use(app, new AuthGuard(new AuthThrottle(options.AuthThrottle, options.Time), options.AuthThrottle, auditLog, options.Time));
        var signInPasswords = new SignInPasswordCheck();
        var webhooks = new WebhookService(stores, pipelineHooks, options, secrets);
        var deploymentEffects = new Environments.DeploymentEffects(stores, webhooks.Events, options.Time);
        var deploymentSync = new Environments.DeploymentSync(stores, secrets, deploymentEffects, options.Time);
        var deployments = new Environments.DeploymentTracker(deploymentHooks, stores, deploymentSync, options.Output) { Effects = deploymentEffects };
        var deployAccess = new Environments.DeployAccess(stores, options.Time); // issue #16: protected environments
        deploymentSync.Protection = deployAccess;
        queue.HandOutCheck = new Environments.DeployJobChecks(
            stores, deploymentSync, new Environments.ProtectedEnvironmentCheck(deployAccess), new Environments.OutdatedDeploymentCheck(stores), driver, options.Time);
        MapEndpoints(app, options, stores, auditLog, driver, creator, queue, signal, heartbeats, traces, blobs, secrets, signInPasswords, ssh, webhooks, bridges, new JobTokenParts(jobTokens, projectNeeds, payloads), registry?.Setup, deployments);
        await app.StartAsync(cancel);
        deployments.Start();
        if (registry is not null)
        {
            await registry.StartAsync(cancel);
        }

        return new ServerHost(app, database, options, stores, driver, creator, traces, blobs)
        {
            SignInPasswords = signInPasswords,
            Webhooks = webhooks,
            Deployments = deployments,
            Reliability = ReliabilityService.Start(pipelines, driver, heartbeats, signal, options),
            _sshd = ssh is null ? null : await ssh.StartAsync(options, app.Urls, cancel),
            _registry = registry,
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

        await StopSshAsync();
        await StopRegistryAsync();
        await StopReliabilityAsync();
        await StopWebhooksAsync();
        await Driver.StopAsync(CancellationToken.None);
        await _app.StopAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await StopSshAsync();
        await StopRegistryAsync();
        await StopReliabilityAsync();
        await StopDeploymentsAsync();
        await StopWebhooksAsync();
        await Driver.StopAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _database.DisposeAsync();
    }

    private async Task StopSshAsync()
    {
        if (_sshd is { } sshd)
        {
            _sshd = null;
            await sshd.DisposeAsync();
        }
    }

    private async Task StopRegistryAsync()
    {
        if (_registry is { } registry)
        {
            _registry = null;
            await registry.DisposeAsync();
        }
    }

    private async Task StopDeploymentsAsync()
    {
        if (Deployments is { } deployments)
        {
            Deployments = null;
            await deployments.DisposeAsync();
        }
    }

    private async Task StopWebhooksAsync()
    {
        if (Webhooks is { } webhooks)
        {
            Webhooks = null;
            await webhooks.DisposeAsync();
        }
    }

    private async Task StopReliabilityAsync()
    {
        if (Reliability is { } reliability)
        {
            Reliability = null;
            await reliability.DisposeAsync();
        }
    }

    /// <summary>
    /// Builds every endpoint group with only the parts it uses and maps it: the runner API, git over HTTP, the REST
    /// API in GitLab's v4 shapes and the web UI (server-rendered HTML at GitLab's URLs, acting through the same
    /// <see cref="UserActions"/> as the REST API); anything else is 404.
    /// </summary>
    private static void MapEndpoints(
        WebApplication app, ServerOptions options, AggregateStores stores, AuditLog auditLog, PipelineDriver driver, PipelineCreator creator,
        JobQueue queue, QueueSignal signal, JobHeartbeats heartbeats, TraceStore traces, ArtifactBlobs blobs, SecretBox secrets,
        SignInPasswordCheck signInPasswords, SshService? ssh, WebhookService webhooks, BridgeInbox bridges, JobTokenParts jobTokenParts, RegistrySetup? registry,
        Environments.DeploymentTracker deployments)
    {
        var (time, url) = (options.Time, options.ExternalUrl!);
        var actions = new UserActions(stores.Pipelines, driver, time);
        var plays = new ManualJobPlays(actions, stores.JobPlayVariables, secrets, time);
        var jobAccess = new JobAccess(stores.Pipelines, heartbeats);
        var repositories = new GitRepositories(Path.Combine(options.DataDir, "repos"));
        var sessions = new WebSessions(stores.Identity, stores.Members, time); // the web UI's, here because #14's pages map under their parts
        var webGuard = new WebGuard(sessions, stores.Projects);

        new RunnerEndpoints(auditLog, stores.Runners, time).Map(app);
        new JobRequestEndpoint(options.LongPoll, stores.Runners, queue, signal, heartbeats, time).Map(app);
        new ArtifactEndpoints(options.Limits, jobAccess, stores.Pipelines, stores.Artifacts, driver, blobs, secrets, time) { Links = stores.Downstream, ProjectNeeds = jobTokenParts.ProjectNeeds }.Map(app);

        var pipelineUsers = new PipelineUsers(stores.Identity);
        var pushes = new PushPipelines(stores.Projects, creator, pipelineUsers, new RedundantPipelines(stores.Pipelines, driver, time), time);
        var sshAccess = ssh is null ? null : new SshGitAccess(stores.Keys, stores.Identity, stores.Members, stores.Projects, new SshGitTokens(ssh.Secret, time), time);
        var gitAccess = new GitAccess(stores.Pipelines, stores.Projects, stores.Identity, stores.Members, stores.Groups, new DeployTokenGitAccess(stores.DeployTokens, stores.Projects, time), time)
        {
            SshRelay = sshAccess,
        };
        new SmartHttpEndpoints(options.Limits, gitAccess, pushes, stores.Projects, PushHook.Install(Path.Combine(options.DataDir, "hooks"))).Map(app, repositories);
        if (ssh is not null)
        {
            new SshInternalEndpoints(ssh.Secret, new SshKeyLookup(stores.Keys, time), stores.Keys, sshAccess!, gitAccess).Map(app);
        }

        // The REST API; its configuration source decides what "run a pipeline for a ref" compiles.
        var jobTokens = jobTokenParts.Callers;
        var apiGuard = new ApiGuard(stores.Identity, stores.Members, stores.Projects, jobTokens, time);
        var jobViews = new JobViews(stores.Pipelines, stores.Runners, stores.Artifacts, stores.Identity, stores.JobTokenScopes, repositories, url, time);
        var configs = new RepositoryConfigSource(repositories, new StoredConfigSource(stores.Projects));
        var cloneUrls = new CloneUrls(url, options.SshUrlBase);
        var namespaces = new NamespaceDirectory(stores.Groups, stores.Identity, url);
        new ProjectEndpoints(cloneUrls, apiGuard, auditLog, stores.Projects, namespaces, new ProjectCallerFields(new ProjectRepository(repositories, url), stores.JobTokenScopes, url), time)
        {
            ExpirationPolicies = new Relais.Server.Registry.Cleanup.ExpirationPolicies(stores.ContainerExpirationPolicies, time),
            ContainerRegistry = registry,
            DeploymentSettings = stores.DeploymentSettings, // #16 deployments lifecycle
        }.Map(app);
        var groupCreation = new GroupCreation(namespaces, stores.Groups, auditLog, time);
        var groups = new GroupEndpoints(apiGuard, namespaces, groupCreation, cloneUrls, auditLog, stores.Groups, stores.Projects);
        groups.Map(app);
        new NamespaceEndpoints(apiGuard, namespaces, stores.Groups).Map(app);
        var memberChanges = new MemberChanges(stores.Members, stores.Identity, auditLog, time);
        new MemberEndpoints(apiGuard, groups, memberChanges, stores.Members, stores.Groups, stores.Identity, url).Map(app);
        new PipelineEndpoints(url, apiGuard, auditLog, actions, stores.Pipelines, creator, pipelineUsers).Map(app, configs);
        new JobEndpoints(apiGuard, jobViews, stores.Pipelines, traces).Map(app);
        new JobActionEndpoints(apiGuard, auditLog, actions, plays, jobViews, stores.Pipelines).Map(app);
        new VariableEndpoints(apiGuard, auditLog, stores.Variables, time).Map(app);
        var protectedRefViews = new ProtectedRefViews(stores.Identity, stores.Keys);
        new ProtectedBranchEndpoints(apiGuard, auditLog, stores.Projects, protectedRefViews, time).Map(app);
        new ProtectedTagEndpoints(apiGuard, auditLog, stores.Projects, protectedRefViews, time).Map(app);
        var projectRepository = new ProjectRepository(repositories, url);
        new BranchEndpoints(apiGuard, auditLog, projectRepository, stores.Projects, pushes).Map(app);
        var tagCreator = new TagCreator(auditLog, projectRepository, stores.Projects, pushes);
        new TagEndpoints(apiGuard, auditLog, projectRepository, stores.Projects, tagCreator).Map(app);
        var commitDetails = new CommitDetailBuilder(projectRepository, new CommitPipelineStatus(stores.Pipelines, stores.CommitStatuses, url));
        new CommitEndpoints(apiGuard, projectRepository, commitDetails).Map(app);
        new CommitWriteEndpoints(apiGuard, new CommitWriter(projectRepository, stores.Projects, pushes, auditLog), commitDetails).Map(app);
        new CommitStatusEndpoints(apiGuard, projectRepository, stores.Pipelines, stores.CommitStatuses, stores.Identity, url, time).Map(app);
        new FileEndpoints(apiGuard, projectRepository).Map(app);
        new CompareArchiveEndpoints(apiGuard, projectRepository).Map(app);
        var passwordChanges = new PasswordChanges(stores.Identity, auditLog, options.DataDir);
        var tokenIssuer = new PersonalTokenIssuer(auditLog, stores.Identity, time);
        var userAdministration = new UserAdministration(auditLog, stores.Identity, passwordChanges, time);
        var users = new UserEndpoints(url, apiGuard, auditLog, stores.Identity, passwordChanges, tokenIssuer, userAdministration);
        users.Map(app);
        new UserDirectoryEndpoints(url, apiGuard, users, userAdministration, stores.Identity).Map(app);
        new PersonalTokenEndpoints(apiGuard, auditLog, stores.Identity, tokenIssuer, time).Map(app);
        new OwnAccountEndpoints(apiGuard, stores.Identity, signInPasswords, passwordChanges, url, time).Map(app);
        new AuditEventEndpoints(users, stores.Audit).Map(app);
        new UserKeyEndpoints(url, apiGuard, users, auditLog, stores.Identity, stores.Keys, time).Map(app);
        new DeployKeyEndpoints(apiGuard, users, auditLog, stores.Projects, stores.Keys, time).Map(app);
        new DeployTokenEndpoints(apiGuard, users, auditLog, stores.DeployTokens, secrets, time).Map(app);

        // Issue #14's parts, each under its own line (keeps parallel branches from touching the same lines):
        // #14 pipelines
        new PipelineListEndpoints(url, apiGuard, stores.Pipelines, stores.Identity, projectRepository, pipelineUsers).Map(app);
        new PipelineDetailEndpoints(apiGuard, auditLog, actions, stores.Pipelines, new PipelineTestReports(stores.Pipelines, stores.Artifacts, blobs), traces, blobs).Map(app);
        new RunPipelinePage(webGuard, new RefPipelineRunner(configs, creator, pipelineUsers), projectRepository).Map(app);
        // #14 jobs
        new JobArtifactEndpoints(apiGuard, stores.Pipelines, new RefArtifactJobs(stores.Pipelines, stores.Artifacts), new ArtifactDownloads(stores.Artifacts, blobs, time)).Map(app);
        new JobArtifactActionEndpoints(apiGuard, auditLog, jobViews, stores.Pipelines, stores.Artifacts, new JobErasure(stores.Pipelines, stores.Artifacts, blobs, traces, time), traces).Map(app);
        new CurrentJobEndpoint(apiGuard, jobTokens, jobViews, stores.Projects).Map(app);
        // #14 triggers and schedules
        var pipelineOwners = new PipelineOwners(stores.Identity, stores.Members, time);
        var refPipelines = new RefPipelineRunner(configs, creator, pipelineUsers);
        new TriggerEndpoints(apiGuard, auditLog, stores.Triggers, stores.Identity, secrets, url, time).Map(app);
        new TriggerPipelineEndpoint(url, apiGuard, jobTokens, stores.Triggers, stores.Projects, stores.Pipelines, pipelineOwners, refPipelines, time).Map(app);
        new JobTokenScopeEndpoints(apiGuard, auditLog, stores.JobTokenScopes, stores.Projects, cloneUrls, time).Map(app);
        var scheduledPipelines = new ScheduledPipelines(stores.Schedules, stores.Projects, pipelineOwners, refPipelines, time);
        var schedules = new ScheduleEndpoints(apiGuard, auditLog, stores.Schedules, stores.Pipelines, new ScheduleViews(stores.Schedules, stores.Identity, stores.Pipelines, url), scheduledPipelines, url, time);
        schedules.Map(app);
        new ScheduleVariableEndpoints(apiGuard, stores.Schedules, schedules).Map(app);
        var scheduler = new PipelineScheduler(stores.Schedules, scheduledPipelines, time, options.Output, options.ScheduleInterval);
        app.Lifetime.ApplicationStarted.Register(() => scheduler.Start(app.Lifetime.ApplicationStopping));
        new SchedulePages(webGuard, auditLog, stores.Schedules, stores.Identity, stores.Pipelines, scheduledPipelines, time).Map(app);
        new ScheduleEditPage(webGuard, auditLog, stores.Schedules, stores.Identity, time).Map(app);
        // #14 child and multi-project pipelines
        var downstream = new DownstreamPipelines(
            bridges, stores.Pipelines, stores.Downstream, driver,
            new DownstreamCreator(stores, creator, pipelineUsers, repositories, configs, blobs, secrets, time), time, options.Output);
        app.Lifetime.ApplicationStarted.Register(downstream.Start);
        app.Lifetime.ApplicationStopping.Register(downstream.Stop);
        new BridgeEndpoints(apiGuard, jobViews, stores.Pipelines, stores.Downstream, stores.Projects, url).Map(app);
        // #14 webhooks and lint
        pushes.Webhooks = webhooks.Events;
        var webhookTester = new WebhookTester(stores.Webhooks, new WebhookSamples(stores.Pipelines, webhooks.Events, projectRepository), webhooks.Sender, time);
        new WebhookEndpoints(apiGuard, auditLog, stores.Webhooks, webhookTester, webhooks.Sender, options.Webhooks.AllowLocal, secrets, time).Map(app);
        new WebhookPages(webGuard, auditLog, stores.Webhooks, webhookTester, webhooks.Sender, options.Webhooks.AllowLocal, secrets, time).Map(app);
        new CiLintEndpoints(apiGuard, configs).Map(app);
        // #14 runners and variables
        var runnerAccess = new RunnerAccess(stores.Runners, stores.Projects, stores.Groups);
        var registration = new RegistrationTokens(stores.Runners, secrets);
        new LegacyRegistrationEndpoint(registration, auditLog, stores.Runners, time).Map(app);
        new RunnerListEndpoints(apiGuard, groups, runnerAccess, stores.Runners, stores.Groups, time).Map(app);
        new RunnerItemEndpoints(apiGuard, runnerAccess, auditLog, stores.Runners, jobViews, url, time).Map(app);
        new ProjectRunnerEndpoints(apiGuard, runnerAccess, auditLog, stores.Runners, time).Map(app);
        new UserRunnerEndpoints(apiGuard, auditLog, stores.Runners, stores.Projects, namespaces, time).Map(app);
        new GroupVariableEndpoints(groups, auditLog, stores.Variables, time).Map(app);
        new InstanceVariableEndpoints(apiGuard, auditLog, stores.Variables, time).Map(app);
        // #14 releases, packages and projects
        var releaseViews = new ReleaseViews(stores.Releases, stores.Identity, projectRepository, url);
        var releaseCreator = new ReleaseCreator(auditLog, stores.Releases, projectRepository, tagCreator, time);
        new ReleaseEndpoints(apiGuard, auditLog, stores.Releases, releaseViews, releaseCreator, time).Map(app);
        new JobUpdateEndpoints(options, jobAccess, stores.Pipelines, driver, traces, time) // the runner's reports; release: jobs create their release
        {
            Releases = new Pipelines.Releases.ReleaseKeyword(stores.Pipelines, stores.Projects, jobTokenParts.Payloads, jobTokens, releaseCreator, traces, time),
        }.Map(app);
        new ReleaseLinkEndpoints(apiGuard, auditLog, stores.Releases, releaseViews, time).Map(app);
        new GenericPackageEndpoints(apiGuard, auditLog, stores.Packages, blobs, time).Map(app);
        new PackageEndpoints(apiGuard, auditLog, stores.Packages, blobs, url).Map(app);
        new Web.Pages.ReleasePages(webGuard, stores.Releases, time).Map(app);
        // #15 registry token endpoint (/jwt/auth)
        if (registry is not null)
        {
            var registryCredentials = new RegistryCredentials(stores.Identity, stores.Members, stores.DeployTokens, jobTokens, signInPasswords, time);
            var registryAccess = new RegistryAccess(new RegistryProjects(stores.Projects), jobTokens, stores.ContainerRepositories, time);
            new RegistryTokenEndpoint(registry.Tokens, registryCredentials, registryAccess).Map(app);
        }

        // #15 registry API
        var registryClient = registry is null ? null : new RegistryClient(registry); // one per server; the cleanup policies use it too
        if (registryClient is not null)
        {
            app.Lifetime.ApplicationStopped.Register(registryClient.Dispose);
            new ContainerRegistryEndpoints(apiGuard, groups, auditLog, stores.ContainerRepositories, stores.Projects, registryClient, new ContainerRegistryViews(registry!, url)).Map(app);
        }
        else
        {
            new ContainerRegistryOffEndpoints(apiGuard, groups).Map(app);
        }

        // #15 registry cleanup policies and garbage collection
        Relais.Server.Registry.Cleanup.RegistryCleanupParts.Map(app, options, stores, apiGuard, webGuard, auditLog, registry, registryClient);
        // #15 registry pages
        if (registryClient is not null)
        {
            sessions.ContainerRegistry = true;
            new ContainerRegistryPages(webGuard, auditLog, stores.ContainerRepositories, registryClient, registry!, time).Map(app);
        }

        // Issue #16's parts, each under its own line:
        // #16 deployments lifecycle
        var deploymentActions = new Environments.DeploymentActions(stores, actions, deployments.Effects, time);
        // #16 environment stopping
        var environmentStopper = new Environments.EnvironmentStopper(stores, actions, time);
        pushes.Environments = environmentStopper;
        var autoStop = new Environments.EnvironmentAutoStop(stores.Environments, stores.Deployments, environmentStopper, time, options.Output, options.AutoStopInterval);
        app.Lifetime.ApplicationStarted.Register(() => autoStop.Start(app.Lifetime.ApplicationStopping));
        var environmentActions = new Environments.EnvironmentActions(environmentStopper, deploymentActions);
        // #16 environments and deployments API
        var environmentViews = new EnvironmentViews(stores, jobViews, cloneUrls, url);
        new EnvironmentEndpoints(apiGuard, stores, environmentViews, environmentActions, time).Map(app);
        new DeploymentEndpoints(apiGuard, stores, environmentViews, environmentActions, time).Map(app);
        // #16 environment pages
        new Web.Environments.EnvironmentListPages(webGuard, stores.Environments, stores.Deployments, stores.Pipelines, stores.Identity, time).Map(app);
        new Web.Environments.EnvironmentPage(webGuard, auditLog, environmentActions, stores.Environments, stores.Deployments, stores.Pipelines, stores.Identity, time).Map(app);
        var jobEnvironmentBox = new Web.Environments.JobEnvironmentBox(stores.Environments, stores.Deployments);
        var pipelineEnvironments = new Web.Environments.PipelineEnvironmentsSection(stores.Environments, stores.Deployments);
        // #16 kubernetes and file variables
        new ClusterEndpoints(apiGuard, auditLog, stores.Clusters, new ClusterViews(stores.Identity, url), time).Map(app);
        // #16 protected environments
        new ProtectedEnvironmentEndpoints(apiGuard, auditLog, stores, new ProtectedEnvironmentViews(stores), time).Map(app);
        var deploymentApprovals = new Environments.DeploymentApprovals(stores, new Environments.DeployAccess(stores, time), driver, signal, time);
        new DeploymentApprovalEndpoints(apiGuard, stores, deploymentApprovals, environmentViews).Map(app);
        new Web.Environments.DeploymentApprovalForms(webGuard, auditLog, deploymentApprovals, stores.Environments, stores.Deployments).Map(app);

        // The web UI.
        WebAssets.Map(app);
        new SignInPages(sessions, auditLog, stores.Identity, signInPasswords, options.DataDir, time, options.AllowSignup).Map(app);
        new SignUpPages(sessions, auditLog, stores.Identity, time, options.AllowSignup).Map(app);

        new UserSettingsPages(webGuard, stores.Identity, signInPasswords, passwordChanges, time).Map(app);
        new SshKeyPages(webGuard, auditLog, stores.Keys, time).Map(app);
        new AccessTokenPages(webGuard, auditLog, stores.Identity, tokenIssuer, time).Map(app);
        new ProjectPages(webGuard, sessions, stores.Pipelines, stores.Projects, time).Map(app);
        new ProjectHomePage(webGuard, projectRepository, new CloneUrls(url, options.SshUrlBase), stores.Pipelines, time).Map(app);
        new TreePages(webGuard, projectRepository, time).Map(app);
        new CommitPages(webGuard, projectRepository, time).Map(app);
        new RefPages(webGuard, projectRepository, stores.Projects, time).Map(app);
        new PipelinePage(webGuard, auditLog, actions, stores.Pipelines, stores.CommitStatuses, time) { Downstream = (stores.Downstream, stores.Projects), Environments = pipelineEnvironments }.Map(app);
        new JobPage(webGuard, auditLog, actions, plays, stores.Pipelines, stores.Runners, stores.Artifacts, traces, new ProjectTrust(stores.Projects, stores.Identity), time) { Environments = jobEnvironmentBox }.Map(app);
        new JobLogStream(webGuard, stores.Pipelines, traces, time).Map(app);
        new ArtifactPages(webGuard, stores.Pipelines, stores.Artifacts, blobs).Map(app);
        new RunnersPage(webGuard, stores.Runners, registration, time).Map(app);
        new AdminUsersPage(webGuard, userAdministration, stores.Identity).Map(app);
        new SettingsPages(webGuard, auditLog, stores.Projects).Map(app);
        var variableForms = new VariableForms(auditLog, stores.Variables, time);
        new CiCdSettingsPage(webGuard, stores.Variables, variableForms, new TriggerSection(auditLog, stores.Triggers, stores.Identity, secrets, time)).Map(app);
        new ProtectedBranchPages(webGuard, stores.Projects, time).Map(app);
        new ProtectedTagPages(webGuard, auditLog, stores.Projects, time).Map(app);
        var groupPages = new GroupPages(webGuard, sessions, groupCreation, namespaces, stores.Groups, stores.Projects);
        groupPages.Map(app);
        new GroupCiCdSettingsPage(groupPages, stores.Variables, variableForms).Map(app);
        new MemberPages(webGuard, groupPages, memberChanges, stores.Members, stores.Identity).Map(app);

        app.MapFallback(() => ApiResults.Error(StatusCodes.Status404NotFound));
    }
}

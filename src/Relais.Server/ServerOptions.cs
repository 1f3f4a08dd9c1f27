namespace Relais.Server;

/// <summary>How <c>relais serve</c> runs: where it keeps data, where it listens, and the address put in job payloads.</summary>
public sealed record ServerOptions
{
    public string DataDir { get; init; } = ".relais-data";

    /// <summary>Kestrel listen addresses, separated by <c>;</c>. Port 0 picks a free port.</summary>
    public string Urls { get; init; } = "http://127.0.0.1:8080";

    /// <summary>
    /// Null keeps SQLite in <c>DATA/relais.db</c>; a PostgreSQL keyword string (<c>Host=…;Database=…</c>) or URL
    /// (<c>postgres://user:password@host:port/database</c>) selects PostgreSQL; anything else is a SQLite connection string.
    /// </summary>
    public string? Database { get; init; }

    /// <summary>The address runners and users reach the server at; null uses the first listen URL.</summary>
    public string? ExternalUrl { get; init; }

    /// <summary>
    /// The base of SSH clone URLs (<c>ssh://git@host:2222</c>) when git over SSH is on, else null (set by whatever starts
    /// the SSH server; <see cref="Git.CloneUrls"/> builds the project URLs from it).
    /// </summary>
    public string? SshUrlBase { get; init; }

    /// <summary>
    /// The port of git over SSH (<c>--ssh-port</c>): <c>relais serve</c> runs OpenSSH's <c>sshd</c> on it (see
    /// <see cref="Ssh.SshDaemon"/>, docs/ssh.md) and sets <see cref="SshUrlBase"/>; null: no SSH.
    /// </summary>
    public int? SshPort { get; init; }

    /// <summary>
    /// The container registry's port (issue #15): <c>relais serve</c> runs Distribution's <c>docker-registry</c> there
    /// (see <see cref="Registry.RegistrySetup"/>); null: no registry. The CLI's default is 5050 when the registry is installed.
    /// </summary>
    public int? RegistryPort { get; init; }

    /// <summary>Serve the registry over plain HTTP (<c>--registry-insecure</c>, a laptop's mode) instead of TLS with Relais's CA.</summary>
    public bool RegistryInsecure { get; init; }

    /// <summary>
    /// What jobs and engines name the registry by (<c>--registry-address</c>: an IP or a DNS name an operator routes
    /// here; it is in the TLS certificate's names); null: the Docker bridge's gateway, else 127.0.0.1.
    /// </summary>
    public string? RegistryAddress { get; init; }

    /// <summary>Where the host's Docker looks for registry CAs (<c>DIR/HOST:PORT/ca.crt</c>); the registry's CA is written there at each start.</summary>
    public string DockerCertsDirectory { get; init; } = "/etc/docker/certs.d";

    /// <summary>
    /// How sshd starts this program's <c>ssh-keys</c> and <c>ssh-git</c> commands: the executable and, when it is the
    /// <c>dotnet</c> host, <c>relais.dll</c>. Needed when <see cref="SshPort"/> is set.
    /// </summary>
    public IReadOnlyList<string> RelaisCommand { get; init; } = [];

    /// <summary>How long <c>POST /jobs/request</c> holds a request when no job is pending.</summary>
    public TimeSpan LongPoll { get; init; } = TimeSpan.FromSeconds(50);

    /// <summary>Becomes root's token on the first start (from <c>RELAIS_ROOT_TOKEN</c>).</summary>
    public string? RootToken { get; init; }

    /// <summary>Becomes root's web sign-in password when root has none yet (from <c>RELAIS_ROOT_PASSWORD</c>).</summary>
    public string? RootPassword { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>A running job whose runner has not been heard from for this long fails with <c>runner_system_failure</c> (<c>--job-heartbeat-timeout</c>).</summary>
    public TimeSpan JobHeartbeatTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How often a runner should report on a running job that prints nothing (<c>X-GitLab-Trace-Update-Interval</c>;
    /// <c>--job-update-interval</c>). A quiet job learns of a cancel only when it reports, so this is how long a cancel
    /// can take to reach it. GitLab uses 30 s (3 s while someone watches the log); each report here is one indexed
    /// read, so Relais asks for 3 s always.
    /// </summary>
    public TimeSpan JobUpdateInterval { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>A job pending for this long fails with <c>stuck_or_timeout_failure</c> (<c>--job-pending-timeout</c>).</summary>
    public TimeSpan JobPendingTimeout { get; init; } = TimeSpan.FromHours(24);

    /// <summary>How often the job watchdog runs; null: a tenth of the shorter of the two timeouts, between 1 and 30 s.</summary>
    public TimeSpan? WatchdogInterval { get; init; }

    /// <summary>How often the pipeline scheduler looks for due schedules (Pipelines/PipelineScheduler).</summary>
    public TimeSpan ScheduleInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How often the coordinator looks for environments whose <c>auto_stop_in</c> has passed (Environments/EnvironmentAutoStop).</summary>
    public TimeSpan AutoStopInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How often a waiting job request looks at the queue again without a wake-up (jobs created by another coordinator).</summary>
    public TimeSpan QueueRecheck { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Where first-start messages (the generated root token) are printed.</summary>
    public TextWriter Output { get; init; } = TextWriter.Null;

    /// <summary>The key that encrypts masked variables at rest (from <c>RELAIS_SECRET_KEY</c>); null uses <c>DATA/secret-key</c>.</summary>
    public string? SecretKey { get; init; }

    /// <summary>
    /// The reverse proxies whose <c>X-Forwarded-For</c>/<c>X-Forwarded-Proto</c> are believed (<c>--trusted-proxy</c>);
    /// empty: none, the headers are ignored (see <see cref="Security.TrustedProxies"/>).
    /// </summary>
    public IReadOnlyList<System.Net.IPNetwork> TrustedProxies { get; init; } = [];

    /// <summary>The rate limit on failed authentication and how often token use is audited.</summary>
    public Security.AuthThrottleOptions AuthThrottle { get; init; } = new();

    /// <summary>
    /// The most bytes of output one job log keeps (<c>--max-trace-size</c>; default 100 MiB, GitLab's default job log
    /// limit). Past it the log is cut with a note and further trace patches are answered 413; the job goes on.
    /// </summary>
    public long MaxTraceSize { get; init; } = Logs.TraceStore.DefaultMaxLength;

    /// <summary>Whether anyone may make an account at <c>/users/sign_up</c> (<c>--allow-signup</c>; default off: the route is 404).</summary>
    public bool AllowSignup { get; init; }

    /// <summary>Per-endpoint request body limits (see <see cref="Security.BodyLimitPolicy"/>).</summary>
    public Security.RequestLimits Limits { get; init; } = new();

    /// <summary>How outgoing webhooks are sent, and whether they may reach the local network (<c>--allow-local-webhooks</c>).</summary>
    public Relais.Server.Webhooks.WebhookOptions Webhooks { get; init; } = new();

    /// <summary>How often the registry's cleanup policies look for due runs (Registry/Cleanup/CleanupPolicyScheduler).</summary>
    public TimeSpan RegistryCleanupInterval { get; init; } = TimeSpan.FromMinutes(1);
}

using System.Runtime.InteropServices;
using Relais.Server;

namespace Relais.Cli.Commands;

/// <summary><c>relais serve</c>: runs the coordinator (runner API v4; SQLite under the data dir or PostgreSQL) until Ctrl+C or SIGTERM.</summary>
internal static class ServeCommand
{
    public const string Usage = """
        usage: relais serve [OPTIONS]

        Runs the Relais coordinator: runners register and take jobs through GitLab's runner API v4.

          --data DIR            where state and blobs live (default: .relais-data)
          --urls URL            where to listen, ';'-separated (default: http://127.0.0.1:8080)
          --database CONNSTR    PostgreSQL: "Host=H;Port=P;Username=U;Password=W;Database=D" or
                                postgres://U:W@H:P/D; otherwise a SQLite connection string
                                (default: SQLite in DIR/relais.db)
          --external-url URL    the address put in job payloads and links (default: the first listen URL)
          --job-heartbeat-timeout SECONDS
                                fail a running job with runner_system_failure when its runner has not
                                been heard from for this long (default: 300)
          --job-pending-timeout SECONDS
                                fail a job pending this long with stuck_or_timeout_failure
                                (default: 86400)
          --job-update-interval SECONDS
                                how often a runner reports on a job that prints nothing, which bounds how
                                long a cancel takes to reach it (default: 3; whole seconds, 1 to 30)
          --max-push-size MB    refuse a git push larger than this (default 512; also after gunzip)
          --max-artifact-size MB
                                refuse an artifact upload larger than this (default 100)
          --max-trace-size MB   keep at most this much of one job's log (default 100, GitLab's job log
                                limit); past it the log is cut with a note and the job fails
                                (trace_size_exceeded), as GitLab does
          --trusted-proxy CIDR  a reverse proxy (address or CIDR block; repeatable or comma-separated) whose
                                X-Forwarded-For/-Proto are believed: the client address (for the rate
                                limit on failed sign-ins and tokens, the audit log) and https (Secure
                                cookies) come from them only when the peer is one (default: none)
          --job-image IMAGE     the embedded runner's image for untrusted projects' jobs without `image:`
                                (default alpine:latest; where Docker Hub is out of reach, give a local image)
          --allow-signup        let anyone make an account (never an administrator) at /users/sign_up,
                                linked from the sign-in page (default: off, the page is 404)
          --allow-local-webhooks
                                let project webhooks reach loopback, private and link-local addresses
                                (GitLab's "allow requests to the local network"; default: off, refused
                                when a hook is saved and when it is sent)
          --ssh-port PORT       git over SSH: run OpenSSH's sshd on this port (default 2222 when sshd is
                                installed, else off; 0 turns it off), listening on 127.0.0.1 and the listen
                                URLs' addresses; as root, users log in as the OS account `git` (created),
                                otherwise as the server's own user. Host keys and config in DIR/ssh/;
                                clone URLs ssh://git@HOST:PORT/group/app.git. See docs/ssh.md.
          --registry-port PORT  the container registry: run Distribution's docker-registry on this port
                                (default 5050 when docker-registry is installed, else off; 0 turns it off),
                                with token authentication by this server (/jwt/auth) and TLS with a CA of
                                Relais's own (DIR/registry/ca.crt; as root also written to
                                /etc/docker/certs.d/HOST:PORT/ca.crt for the host's Docker). Jobs see
                                CI_REGISTRY=HOST:PORT, HOST this host's address on its default route (else
                                docker0's, else 127.0.0.1); the server also listens there (first URL's port)
                                for the token realm when no listen URL is reachable from containers.
          --registry-address HOST
                                the name or IP jobs and engines reach the registry by (default: as above);
                                it is in the certificate's names
          --registry-insecure   serve the registry over plain HTTP (a laptop's mode): every Docker engine
                                that uses it needs it in "insecure-registries"
          --no-runner           do not start the embedded runner (it takes untagged jobs in DIR/builds; with a
                                Docker engine, untrusted projects' jobs run in containers, trusted ones without
                                an image in the shell; use `relais runner` processes instead)

        Job isolation: a project is trusted when it is in an administrator's namespace or an administrator
        marked it so (PUT /api/v4/projects/:id relais_trusted=true). Other projects' jobs run only on runners
        that isolate them (docker executor; a shell runner only with allow_untrusted), never in the server's
        shell. The data directory is made owner-only (0700, files 0600) at each start. See docs/security.md.

        On the first start, RELAIS_ROOT_TOKEN (if set) becomes root's personal access token; otherwise one
        is generated, printed once and written to DIR/initial-root-token. Likewise RELAIS_ROOT_PASSWORD
        becomes root's web sign-in password, else one is generated, printed once and written to
        DIR/initial-root-password (deleted at root's first sign-in). Masked
        variables are stored encrypted with RELAIS_SECRET_KEY (if set) or the key in DIR/secret-key (created
        on the first start).

        """;

    private static readonly HashSet<string> Valued = ["data", "urls", "database", "external-url", "job-heartbeat-timeout", "job-pending-timeout", "job-update-interval", "max-push-size", "max-artifact-size", "max-trace-size", "trusted-proxy", "job-image", "ssh-port", "registry-port", "registry-address"];

    /// <summary>The image of untrusted projects' jobs without <c>image:</c> on the embedded runner (the one GitLab's docs register runners with).</summary>
    public const string DefaultJobImage = "alpine:latest";

    private static readonly HashSet<string> Flags = ["no-runner", "allow-signup", "allow-local-webhooks", "registry-insecure", "help"];

    public static async Task<int> RunAsync(IReadOnlyList<string> argv, TextWriter stdout, TextWriter stderr, string workingDirectory)
    {
        var args = Args.Parse(argv, Valued, Flags, out var error);
        if (error is not null || args.Flag("help") || args.Positional.Count > 0)
        {
            (error is null && args.Flag("help") ? stdout : stderr).Write((error is null ? "" : $"relais serve: {error}\n") + Usage);
            return error is null && args.Flag("help") ? 0 : 2;
        }

        if (Seconds(args.Value("job-heartbeat-timeout"), 300) is not { } heartbeat || Seconds(args.Value("job-pending-timeout"), 86400) is not { } pending)
        {
            stderr.Write("relais serve: --job-heartbeat-timeout and --job-pending-timeout take a positive number of seconds\n" + Usage);
            return 2;
        }

        if (Seconds(args.Value("job-update-interval"), 3) is not { } update || update.TotalSeconds is < 1 or > 30)
        {
            stderr.Write("relais serve: --job-update-interval takes a number of seconds from 1 to 30\n" + Usage);
            return 2;
        }

        if (!TryMegabytes(args.Value("max-push-size"), 512, out var pushBytes) || !TryMegabytes(args.Value("max-artifact-size"), 100, out var artifactBytes)
            || !TryMegabytes(args.Value("max-trace-size"), 100, out var traceBytes))
        {
            stderr.Write("relais serve: --max-push-size, --max-artifact-size and --max-trace-size take a whole number of megabytes (at least 1)\n" + Usage);
            return 2;
        }

        if (Relais.Server.Security.TrustedProxies.Parse(args.Values("trusted-proxy"), out var proxyError) is not { } trustedProxies)
        {
            stderr.Write($"relais serve: {proxyError}\n" + Usage);
            return 2;
        }

        if (!TrySshPort(args.Value("ssh-port"), out var sshPort))
        {
            stderr.Write("relais serve: --ssh-port takes a port number (0 turns git over SSH off)\n" + Usage);
            return 2;
        }

        if (args.Value("ssh-port") is null && sshPort is null)
        {
            await stdout.WriteLineAsync("relais serve: git over SSH is off: OpenSSH's sshd is not installed (Debian: openssh-server)");
        }

        if (!TryRegistryPort(args.Value("registry-port"), Relais.Server.Registry.DockerRegistry.Find(), out var registryPort, out var registryOff))
        {
            stderr.Write("relais serve: --registry-port takes a port number (0 turns the container registry off)\n" + Usage);
            return 2;
        }

        if (registryOff is not null)
        {
            await stdout.WriteLineAsync(registryOff);
        }

        if (args.Value("registry-address") is { } registryAddress && !ValidHost(registryAddress))
        {
            stderr.Write("relais serve: --registry-address takes a host name or an IP address (no scheme, no port)\n" + Usage);
            return 2;
        }

        var options = new ServerOptions
        {
            SshPort = sshPort,
            RegistryPort = registryPort,
            RegistryAddress = args.Value("registry-address"),
            RegistryInsecure = args.Flag("registry-insecure"),
            RelaisCommand = sshPort is null ? [] : Ssh.RelaisExecutable.Command(),
            JobHeartbeatTimeout = heartbeat,
            JobPendingTimeout = pending,
            JobUpdateInterval = update,
            DataDir = Path.GetFullPath(args.Value("data") ?? ".relais-data", workingDirectory),
            Urls = args.Value("urls") ?? "http://127.0.0.1:8080",
            Database = args.Value("database"),
            ExternalUrl = args.Value("external-url"),
            RootToken = Environment.GetEnvironmentVariable("RELAIS_ROOT_TOKEN"),
            SecretKey = Environment.GetEnvironmentVariable("RELAIS_SECRET_KEY"),
            Limits = new Relais.Server.Security.RequestLimits { Push = pushBytes, Artifact = artifactBytes },
            MaxTraceSize = traceBytes,
            TrustedProxies = trustedProxies,
            RootPassword = Environment.GetEnvironmentVariable("RELAIS_ROOT_PASSWORD"),
            AllowSignup = args.Flag("allow-signup"),
            Webhooks = new Relais.Server.Webhooks.WebhookOptions { AllowLocal = args.Flag("allow-local-webhooks") },
            Output = stdout,
        };
        return await ServeAsync(options, !args.Flag("no-runner"), args.Value("job-image") ?? DefaultJobImage, stdout);
    }

    /// <summary>The SSH port: given (0: off), or 2222 when sshd is installed, else off.</summary>
    private static bool TrySshPort(string? text, out int? port) =>
        TryPort(text, Relais.Server.Ssh.Sshd.Find() is null ? null : Relais.Server.Ssh.Sshd.DefaultPort, out port);

    /// <summary>
    /// The registry's port: given (0: off), or 5050 when <paramref name="program"/> (docker-registry) is installed,
    /// else off with <paramref name="offLine"/> to print.
    /// </summary>
    internal static bool TryRegistryPort(string? text, string? program, out int? port, out string? offLine)
    {
        offLine = text is null && program is null ? "relais serve: the container registry is off: Distribution's docker-registry is not installed (Debian: docker-registry)" : null;
        return TryPort(text, program is null ? null : Relais.Server.Registry.DockerRegistry.DefaultPort, out port);
    }

    /// <summary>A helper's port: given (0: off), else <paramref name="fallback"/>.</summary>
    private static bool TryPort(string? text, int? fallback, out int? port)
    {
        port = null;
        if (text is null)
        {
            port = fallback;
            return true;
        }

        if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) || value > 65535)
        {
            return false;
        }

        port = value == 0 ? null : value;
        return true;
    }

    /// <summary>A DNS name or an IP address, nothing else (no scheme, port or path).</summary>
    internal static bool ValidHost(string text) =>
        System.Net.IPAddress.TryParse(text.Trim('[', ']'), out _) || Uri.CheckHostName(text) == UriHostNameType.Dns;

    private static TimeSpan? Seconds(string? value, double fallback) =>
        value is null ? TimeSpan.FromSeconds(fallback)
        : double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var s) && s > 0 ? TimeSpan.FromSeconds(s)
        : null;

    private static bool TryMegabytes(string? text, long fallback, out long bytes)
    {
        bytes = fallback * 1024 * 1024;
        if (text is null)
        {
            return true;
        }

        if (!long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var mb) || mb < 1 || mb > 1024 * 1024)
        {
            return false;
        }

        bytes = mb * 1024 * 1024;
        return true;
    }

    private static async Task<int> ServeAsync(ServerOptions options, bool embeddedRunner, string jobImage, TextWriter stdout)
    {
        Relais.Server.Security.OwnerOnlyData.RestrictProcessUmask(); // everything created from here on: 0700 folders, 0600 files
        using var stop = new CancellationTokenSource();
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
        await using var host = await ServerHost.StartAsync(options, stop.Token);
        await stdout.WriteLineAsync($"relais serve: listening on {options.Urls} (external URL {host.ExternalUrl}), data in {options.DataDir}");
        if (host.Options.SshUrlBase is { } ssh)
        {
            await stdout.WriteLineAsync($"relais serve: git over SSH at {ssh} (sshd on port {options.SshPort})");
        }

        if (host.Registry is { } registry)
        {
            await stdout.WriteLineAsync($"relais serve: container registry at {registry.Address} ({(registry.Insecure ? "plain HTTP" : "TLS, CA in " + Path.Combine(options.DataDir, "registry", "ca.crt"))})");
        }

        using var runnerStop = new CancellationTokenSource();
        using var runnerAbort = new CancellationTokenSource();
        var runner = embeddedRunner ? await EmbeddedRunner.StartAsync(host, options, jobImage, stdout, runnerStop.Token, runnerAbort.Token) : default;
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
            // Asked to stop: the runner first (it still reports to the server), then the server.
        }

        if (runner.Agent is not null)
        {
            await runnerStop.CancelAsync();
            runnerAbort.CancelAfter(TimeSpan.FromSeconds(30));
            await runner.Running;
            runner.Agent.Dispose();
        }

        await host.WaitForShutdownAsync(new CancellationToken(canceled: true));
        await stdout.WriteLineAsync("relais serve: stopped");
        return 0;
    }
}

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
          --no-runner           do not start the embedded runner (a shell runner in DIR/builds that takes
                                untagged jobs; use `relais runner` processes instead)

        On the first start, RELAIS_ROOT_TOKEN (if set) becomes root's personal access token; otherwise one
        is generated, printed once and written to DIR/initial-root-token. Likewise RELAIS_ROOT_PASSWORD
        becomes root's web sign-in password, else one is generated into DIR/initial-root-password.

        """;

    private static readonly HashSet<string> Valued = ["data", "urls", "database", "external-url"];
    private static readonly HashSet<string> Flags = ["no-runner", "help"];

    public static int Run(IReadOnlyList<string> argv, TextWriter stdout, TextWriter stderr, string workingDirectory)
    {
        var args = Args.Parse(argv, Valued, Flags, out var error);
        if (error is not null || args.Flag("help") || args.Positional.Count > 0)
        {
            (error is null && args.Flag("help") ? stdout : stderr).Write((error is null ? "" : $"relais serve: {error}\n") + Usage);
            return error is null && args.Flag("help") ? 0 : 2;
        }

        var options = new ServerOptions
        {
            DataDir = Path.GetFullPath(args.Value("data") ?? ".relais-data", workingDirectory),
            Urls = args.Value("urls") ?? "http://127.0.0.1:8080",
            Database = args.Value("database"),
            ExternalUrl = args.Value("external-url"),
            RootToken = Environment.GetEnvironmentVariable("RELAIS_ROOT_TOKEN"),
            RootPassword = Environment.GetEnvironmentVariable("RELAIS_ROOT_PASSWORD"),
            Output = stdout,
        };
        return ServeAsync(options, !args.Flag("no-runner"), stdout).GetAwaiter().GetResult();
    }

    private static async Task<int> ServeAsync(ServerOptions options, bool embeddedRunner, TextWriter stdout)
    {
        using var stop = new CancellationTokenSource();
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
        await using var host = await ServerHost.StartAsync(options, stop.Token);
        await stdout.WriteLineAsync($"relais serve: listening on {options.Urls} (external URL {host.ExternalUrl}), data in {options.DataDir}");
        using var runnerStop = new CancellationTokenSource();
        using var runnerAbort = new CancellationTokenSource();
        var runner = embeddedRunner ? await EmbeddedRunner.StartAsync(host, options, stdout, runnerStop.Token, runnerAbort.Token) : default;
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

using System.Globalization;
using Relais.Runner.Agent;
using Relais.Runner.Executors;

namespace Relais.Cli.Commands;

/// <summary><c>relais runner</c>: the remote runner, which takes jobs from a server over the GitLab runner API v4.</summary>
internal static class RunnerCommand
{
    public const string Usage = """
        usage: relais runner --url URL --token glrt-... [OPTIONS]
               relais runner --config FILE
               relais runner cleanup [--older-than SECONDS] [--runner SHORT_TOKEN] [--caches]
               relais runner register [--url URL] [--token glrt-... | --registration-token T] [OPTIONS]
                                      (adds a runner to the config file; see `relais runner register --help`)

        Takes jobs from a Relais (or GitLab) server over the runner API and runs them here. The first
        SIGTERM or Ctrl-C stops taking jobs and lets running ones finish; a second one aborts them.

          --url URL                  the server
          --token TOKEN              the runner authentication token (glrt-...)
          --executor NAME            shell (default), docker, or auto (docker for jobs with an image)
          --docker-image IMAGE       docker: the image of jobs without one (default busybox:latest)
          --docker-pull-policy P     docker: always, if-not-present (default) or never
          --docker-privileged        docker: privileged job and service containers (for DinD)
          --docker-privileged-as-capabilities
                                     docker: give them every capability but SYS_RESOURCE instead of
                                     --privileged (where --privileged is refused)
          --concurrent N             jobs at once in all (default 1)
          --limit N                  jobs at once for this runner (default: --concurrent)
          --request-concurrency N    job requests kept open at once (default 1)
          --tags a,b                 the runner's tags (the server matches them)
          --name NAME                the name shown in job logs
          --builds-dir DIR           where builds go (default ./builds)
          --cache-dir DIR            where caches go (default ./cache)
          --allow-untrusted          shell: take untrusted projects' jobs too and run them in the shell, as
                                     this user (off: only trusted projects' jobs come to a shell runner)
          --config FILE              a YAML file with `concurrent` and several `runners:` (see docs/runner.md)

        """;

    private static readonly HashSet<string> Valued =
        ["url", "token", "executor", "concurrent", "limit", "request-concurrency", "tags", "name", "builds-dir", "cache-dir", "config", "docker-image", "docker-pull-policy"];

    public static async Task<int> RunAsync(IReadOnlyList<string> argv, TextWriter stdout, TextWriter stderr, string workingDirectory)
    {
        if (argv.Count > 0 && argv[0] == "cleanup")
        {
            return await RunnerCleanupCommand.RunAsync(argv.Skip(1).ToList(), stdout, stderr);
        }

        if (argv.Count > 0 && argv[0] == "register")
        {
            return await RunnerRegisterCommand.RunAsync(argv.Skip(1).ToList(), Console.In, stdout, stderr, workingDirectory);
        }

        var args = Args.Parse(argv, Valued, new HashSet<string> { "help", "docker-privileged", "docker-privileged-as-capabilities", "allow-untrusted" }, out var error);
        if (error is null && args.Positional.Count > 0)
        {
            error = $"unexpected argument `{args.Positional[0]}`";
        }

        if (error is not null || args.Flag("help"))
        {
            (error is null ? stdout : stderr).Write((error is null ? "" : $"relais runner: {error}\n") + Usage);
            return error is null ? 0 : 2;
        }

        var config = Configure(args, workingDirectory, out error);
        if (config is null)
        {
            stderr.WriteLine("relais runner: " + error);
            return 2;
        }

        using var agent = new RunnerAgent(config, log: stdout);
        var problems = await agent.VerifyAsync(CancellationToken.None);
        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                stderr.WriteLine("relais runner: " + problem);
            }

            return 1;
        }

        using var signals = new GracefulStop(stdout, "relais runner: stopping; running jobs finish (signal again to abort them)", "relais runner: aborting running jobs");
        stdout.WriteLine($"relais runner: {config.Runners.Count} runner(s), {config.Concurrent} concurrent job(s); waiting for jobs");
        await agent.RunAsync(signals.Stop, signals.Abort);
        stdout.WriteLine("relais runner: stopped");
        return 0;
    }

    private static Relais.Runner.Executors.Docker.DockerExecutorSettings DockerFlags(Args args)
    {
        var options = new Relais.Runner.Executors.Docker.DockerExecutorSettings
        {
            BuildsDir = "", Privileged = args.Flag("docker-privileged"), PrivilegedAsCapabilities = args.Flag("docker-privileged-as-capabilities"),
        };
        options = args.Value("docker-image") is { } image ? options with { DefaultImage = image } : options;
        return args.Value("docker-pull-policy") is { } policy ? options with { PullPolicies = [policy] } : options;
    }

    private static AgentConfig? Configure(Args args, string workingDirectory, out string? error)
    {
        error = null;
        if (args.Value("config") is { } file)
        {
            var loaded = AgentConfigLoader.LoadFile(Path.Combine(workingDirectory, file));
            error = loaded.Error;
            return loaded.Config;
        }

        if (args.Value("url") is not { } url || args.Value("token") is not { } token)
        {
            error = "give --url and --token, or --config FILE";
            return null;
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            error = $"--url `{url}` is not an http(s) URL";
            return null;
        }

        var executor = args.Value("executor") ?? "shell";
        if (!ExecutorCatalog.Contains(executor))
        {
            error = ExecutorCatalog.Unknown(executor);
            return null;
        }

        string? problem = null;
        int Number(string name, int fallback, int min)
        {
            if (args.Value(name) is not { } text)
            {
                return fallback;
            }

            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min)
            {
                return n;
            }

            problem ??= $"--{name} `{text}` should be a whole number of at least {min}";
            return fallback;
        }

        var concurrent = Number("concurrent", 1, 1);
        var entry = new RunnerEntry
        {
            Url = uri,
            Token = token,
            Executor = executor,
            Name = args.Value("name") ?? "relais-runner",
            Limit = Number("limit", 0, 0),
            RequestConcurrency = Number("request-concurrency", 1, 1),
            Tags = (args.Value("tags") ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
            BuildsDir = Path.Combine(workingDirectory, args.Value("builds-dir") ?? "builds"),
            CacheDir = Path.Combine(workingDirectory, args.Value("cache-dir") ?? "cache"),
            Docker = DockerFlags(args),
            AllowUntrusted = args.Flag("allow-untrusted"),
        };
        error = problem;
        return error is null ? new AgentConfig { Concurrent = concurrent, Runners = [entry] } : null;
    }
}

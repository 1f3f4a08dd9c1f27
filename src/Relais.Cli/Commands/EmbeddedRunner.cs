using Relais.Runner.Agent;
using Relais.Server;
using Relais.Server.Auth;

namespace Relais.Cli.Commands;

/// <summary>
/// The runner <c>relais serve</c> starts by default: an ordinary <see cref="RunnerAgent"/> that speaks the
/// runner API to the coordinator over loopback, so a push runs without setting up a runner first. Its
/// token is created once and kept in <c>DATA/embedded-runner-token</c> (mode 600). When a Docker engine answers,
/// jobs with an <c>image:</c> run in containers (the <c>auto</c> executor); the others, and every job without an
/// engine, run in the shell. <c>RELAIS_EMBEDDED_EXECUTOR=shell|docker|auto</c> chooses explicitly.
/// </summary>
internal static class EmbeddedRunner
{
    public static async Task<(RunnerAgent Agent, Task Running)> StartAsync(
        ServerHost host, ServerOptions options, TextWriter log, CancellationToken stop, CancellationToken abort)
    {
        var token = await TokenAsync(host, options.DataDir);
        var entry = new RunnerEntry
        {
            Name = "embedded",
            Url = LoopbackUrl(options.Urls),
            Token = token,
            BuildsDir = Path.Combine(options.DataDir, "builds"),
            CacheDir = Path.Combine(options.DataDir, "cache"),
            Executor = await ExecutorAsync(), // jobs with an image run in containers when an engine is there
        };
        var agent = new RunnerAgent(
            new AgentConfig { Concurrent = Math.Max(2, Environment.ProcessorCount), ShutdownTimeout = TimeSpan.FromSeconds(30), Runners = [entry] },
            log: log);
        await agent.VerifyAsync(stop);
        return (agent, agent.RunAsync(stop, abort));
    }

    /// <summary><c>RELAIS_EMBEDDED_EXECUTOR</c> (shell, docker, auto) when set; else auto when a Docker engine answers, shell otherwise.</summary>
    private static async Task<string> ExecutorAsync()
    {
        var chosen = Environment.GetEnvironmentVariable("RELAIS_EMBEDDED_EXECUTOR");
        if (chosen is "shell" or "docker" or "auto")
        {
            return chosen;
        }

        using var docker = new Relais.Runner.Docker.DockerClient();
        return await docker.PingAsync(TimeSpan.FromSeconds(2)) ? "auto" : "shell";
    }

    private static async Task<string> TokenAsync(ServerHost host, string dataDir)
    {
        var file = Path.Combine(dataDir, "embedded-runner-token");
        if (File.Exists(file))
        {
            var saved = (await File.ReadAllTextAsync(file)).Trim();
            if (await host.Stores.Runners.FindRunnerAsync(Tokens.Hash(saved)) is not null)
            {
                return saved;
            }
        }

        var token = Tokens.New(Tokens.RunnerPrefix);
        await host.Stores.Runners.CreateRunnerAsync(Tokens.Hash(token), "embedded runner of relais serve", "", runUntagged: true, host.Options.Time.GetUtcNow());
        await File.WriteAllTextAsync(file, token);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return token;
    }

    /// <summary>The first listen URL, with a wildcard host replaced by 127.0.0.1.</summary>
    private static Uri LoopbackUrl(string urls)
    {
        var first = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0];
        first = first.Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://+", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://*", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal);
        return new Uri(first.EndsWith('/') ? first : first + "/");
    }
}

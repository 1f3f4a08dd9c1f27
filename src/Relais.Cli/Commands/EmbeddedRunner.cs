using Relais.Runner.Agent;
using Relais.Runner.Executors.Docker;
using Relais.Server;
using Relais.Server.Auth;
using Relais.Server.Security;

namespace Relais.Cli.Commands;

/// <summary>
/// The runner <c>relais serve</c> starts by default: an ordinary <see cref="RunnerAgent"/> that speaks the runner API to
/// the coordinator over loopback, so a push runs without setting up a runner first. It keeps job code away from the
/// server's data (docs/security.md, "Job isolation: the trust model"):
/// <list type="bullet">
/// <item>When a Docker engine answers, its executor is <c>auto</c>: jobs with an <c>image:</c> and every job of an
/// untrusted project run in containers (an untrusted job without <c>image:</c> gets <c>--job-image</c>); only trusted
/// projects' jobs without an image run in the shell, as the server's OS user.</item>
/// <item>Without an engine it is a shell runner that still asks for untrusted jobs, only to fail each at once with a
/// message saying why, rather than run it in the shell or leave it pending unexplained.</item>
/// <item>Its token is never written to disk: it is derived from the secret key (<see cref="SecretBox.Derive"/>), so every
/// coordinator with that key shares one runner row and a job that cannot read the key cannot learn the token.</item>
/// </list>
/// <c>RELAIS_EMBEDDED_EXECUTOR=shell|docker|auto</c> chooses the executor explicitly.
/// </summary>
internal static class EmbeddedRunner
{
    /// <summary>The description of the embedded runner's row.</summary>
    public const string Description = "embedded runner of relais serve";

    /// <summary>The file older versions kept the token in; removed (with its runner row) at start.</summary>
    private const string LegacyTokenFile = "embedded-runner-token";

    public static async Task<(RunnerAgent Agent, Task Running)> StartAsync(
        ServerHost host, ServerOptions options, string jobImage, TextWriter log, CancellationToken stop, CancellationToken abort)
    {
        var token = await TokenAsync(host, options);
        var executor = await ExecutorAsync();
        var entry = new RunnerEntry
        {
            Name = "embedded",
            Url = LoopbackUrl(options.Urls),
            Token = token,
            BuildsDir = Path.Combine(options.DataDir, "builds"),
            CacheDir = Path.Combine(options.DataDir, "cache"),
            Executor = executor,
            Docker = new DockerExecutorSettings { BuildsDir = "", DefaultImage = jobImage },
            RefusesUntrustedVisibly = executor == "shell",
        };
        await log.WriteLineAsync(executor == "shell"
            ? "relais serve: no Docker engine answered: the embedded runner runs trusted projects' jobs in the shell and fails untrusted projects' jobs (see docs/security.md)"
            : $"relais serve: the embedded runner runs untrusted projects' jobs in containers (without image: in {jobImage})");
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

    /// <summary>The token derived from the secret key, its runner row created when missing; an older version's token file and row are removed.</summary>
    private static async Task<string> TokenAsync(ServerHost host, ServerOptions options)
    {
        await RemoveLegacyTokenAsync(host, options.DataDir);
        var token = Tokens.RunnerPrefix + SecretKeyFile.Open(options.DataDir, options.SecretKey).Derive("embedded runner token");
        var hash = Tokens.Hash(token);
        if (await host.Stores.Runners.FindRunnerAsync(hash) is null)
        {
            try
            {
                await host.Stores.Runners.CreateRunnerAsync(hash, Description, "", runUntagged: true, host.Options.Time.GetUtcNow());
            }
            catch (System.Data.Common.DbException)
            {
                // Another coordinator with the same key may have created the row at the same moment.
                if (await host.Stores.Runners.FindRunnerAsync(hash) is null)
                {
                    throw;
                }
            }
        }

        return token;
    }

    private static async Task RemoveLegacyTokenAsync(ServerHost host, string dataDir)
    {
        var file = Path.Combine(dataDir, LegacyTokenFile);
        if (!File.Exists(file))
        {
            return;
        }

        var hash = Tokens.Hash((await File.ReadAllTextAsync(file)).Trim());
        if (await host.Stores.Runners.FindRunnerAsync(hash) is { Description: Description })
        {
            await host.Stores.Runners.DeleteRunnerAsync(hash);
        }

        File.Delete(file);
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

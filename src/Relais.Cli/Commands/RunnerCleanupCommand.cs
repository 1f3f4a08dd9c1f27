using System.Globalization;
using Relais.Runner.Docker;
using Relais.Runner.Executors.Docker;

namespace Relais.Cli.Commands;

/// <summary>
/// <c>relais runner cleanup</c>: removes the containers, networks and job volumes the docker executor left behind
/// (found by label, older than a threshold), on demand, and prints each one it removed.
/// </summary>
internal static class RunnerCleanupCommand
{
    public const string Usage = """
        usage: relais runner cleanup [--older-than SECONDS] [--runner SHORT_TOKEN] [--caches]

        Removes what docker jobs left on the engine (DOCKER_HOST, else /var/run/docker.sock): every
        container, network and job volume labelled relais.managed. A running runner's reaper does the
        same at start and every 15 minutes; this is for a runner that crashed and stays down.

          --older-than SECONDS   only what is at least this old (default 0: everything; a running
                                 runner's jobs would be removed too)
          --runner SHORT_TOKEN   only what this runner made (the token's first 8 characters after glrt-)
          --caches               also the per-project cache volumes

        """;

    public static async Task<int> RunAsync(IReadOnlyList<string> argv, TextWriter stdout, TextWriter stderr)
    {
        var args = Args.Parse(argv, new HashSet<string> { "older-than", "runner" }, new HashSet<string> { "help", "caches" }, out var error);
        var olderThan = 0;
        if (error is null && args.Value("older-than") is { } text && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out olderThan)))
        {
            error = $"--older-than `{text}` should be a whole number of seconds";
        }

        if (error is not null || args.Flag("help") || args.Positional.Count > 0)
        {
            error ??= args.Positional.Count > 0 ? $"unexpected argument `{args.Positional[0]}`" : null;
            (error is null ? stdout : stderr).Write((error is null ? "" : $"relais runner cleanup: {error}\n") + Usage);
            return error is null ? 0 : 2;
        }

        using var docker = new DockerClient();
        if (!await docker.PingAsync(TimeSpan.FromSeconds(5)))
        {
            stderr.WriteLine($"relais runner cleanup: the Docker engine at {docker.Endpoint.Host} does not answer");
            return 1;
        }

        var removed = await DockerReaper.RemoveLeftoversAsync(
            docker, args.Value("runner"), TimeSpan.FromSeconds(olderThan), [], args.Flag("caches"), null, CancellationToken.None);
        foreach (var line in removed)
        {
            stdout.WriteLine("removed " + line);
        }

        stdout.WriteLine(removed.Count == 0 ? "nothing to remove" : $"removed {removed.Count} resource(s)");
        return 0;
    }
}

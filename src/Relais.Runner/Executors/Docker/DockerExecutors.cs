using Relais.Runner.Jobs;

namespace Relais.Runner.Executors.Docker;

/// <summary>Creates the docker executor of a runner and starts its reaper: once at start, then periodically.</summary>
public static class DockerExecutors
{
    /// <summary>
    /// The executor for <paramref name="setup"/>, its builds directory made absolute, with the leftover reaper running
    /// when the setup names a runner token.
    /// </summary>
    public static DockerExecutor Create(ExecutorSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        var options = (setup.Docker ?? new DockerExecutorSettings { BuildsDir = "" }) with { BuildsDir = Path.GetFullPath(setup.BuildsDir) };
        var executor = new DockerExecutor(options);
        if (setup.RunnerToken is { } token)
        {
            _ = ReapLoopAsync(executor, new RunnerSettings { Token = token }.ShortToken, options);
        }

        return executor;
    }

    /// <summary>Removes this runner's leftovers now and then every <see cref="DockerExecutorSettings.ReapInterval"/>, for the process's lifetime.</summary>
    private static async Task ReapLoopAsync(DockerExecutor executor, string runner, DockerExecutorSettings options)
    {
        while (true)
        {
            try
            {
                if (await executor.Docker.PingAsync(TimeSpan.FromSeconds(5)))
                {
                    var removed = await DockerReaper.RemoveLeftoversAsync(executor.Docker, runner, options.ReapOlderThan, executor.ActiveRuns, includeCaches: false, null, CancellationToken.None);
                    foreach (var line in removed)
                    {
                        Console.Error.WriteLine($"relais runner: removed leftover {line}");
                    }
                }
            }
#pragma warning disable CA1031 // the reaper must outlive a broken engine
            catch (Exception e)
#pragma warning restore CA1031
            {
                Console.Error.WriteLine($"relais runner: reaping docker leftovers failed: {e.Message}");
            }

            if (options.ReapInterval <= TimeSpan.Zero)
            {
                return;
            }

            await Task.Delay(options.ReapInterval);
        }
    }
}

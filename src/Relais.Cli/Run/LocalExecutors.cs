using Relais.Runner.Executors;
using Relais.Runner.Executors.Docker;
using Relais.Runner.Executors.Shell;

namespace Relais.Cli.Run;

/// <summary>The executors of <c>relais run</c>, by name: <c>shell</c>, <c>docker</c>, <c>auto</c>.</summary>
internal static class LocalExecutors
{
    public static IExecutor Create(string name, string buildsDir) => name switch
    {
        "docker" => Docker(buildsDir),
        "auto" => new ImageRoutingExecutor(Docker(buildsDir), Shell(buildsDir)),
        _ => Shell(buildsDir),
    };

    private static DockerExecutor Docker(string buildsDir) => new(new DockerExecutorSettings { BuildsDir = buildsDir });

    private static ShellExecutor Shell(string buildsDir) => new(new ShellExecutorOptions { BuildsDir = buildsDir });
}

using Relais.GitOps.Tools;

namespace Relais.GitOps.Appliers.Docker;

/// <summary>
/// Runs one program (<c>docker</c>, or <c>docker-compose</c>) against one Docker host through <see cref="CliCommand"/>:
/// the program, the arguments that come first (<c>compose</c> for the plugin), the host's environment.
/// </summary>
public sealed class DockerTool(string program, IReadOnlyList<string> prefix, IReadOnlyDictionary<string, string?> environment)
{
    /// <summary>The docker CLI for a resource's <c>dockerHost</c> (null: the agent's own).</summary>
    public static DockerTool Docker(string? dockerHost) => new("docker", [], DockerEndpoint.EnvironmentFor(dockerHost));

    /// <summary>The environment the runs get (for another program on the same host).</summary>
    public IReadOnlyDictionary<string, string?> Environment => environment;

    /// <summary>The command for these arguments (not run).</summary>
    public CliCommand Command(IEnumerable<string> arguments, string? workingDirectory = null) =>
        new(program, [.. prefix, .. arguments]) { Environment = environment, WorkingDirectory = workingDirectory };

    /// <summary>Runs, whatever the outcome.</summary>
    public Task<CliResult> TryAsync(IEnumerable<string> arguments, CancellationToken cancellationToken, string? workingDirectory = null) =>
        Command(arguments, workingDirectory).RunAsync(cancellationToken);

    /// <summary>Runs and answers standard output; a failure is a <see cref="DockerCommandException"/>.</summary>
    public async Task<string> RunAsync(IEnumerable<string> arguments, CancellationToken cancellationToken, string? workingDirectory = null)
    {
        var command = Command(arguments, workingDirectory);
        var result = await command.RunAsync(cancellationToken);
        return result.Succeeded ? result.Output : throw new DockerCommandException($"{command} failed: {result.Message}");
    }
}

namespace Relais.GitOps.Appliers.Docker;

/// <summary>Finds the Compose program for a Docker host: the <c>docker compose</c> plugin when it answers, else <c>docker-compose</c> (Debian 12's 1.29).</summary>
public static class ComposeTool
{
    /// <summary>The tool that runs <c>compose …</c> commands against <paramref name="dockerHost"/>.</summary>
    public static async Task<DockerTool> FindAsync(string? dockerHost, CancellationToken cancellationToken)
    {
        var environment = DockerEndpoint.EnvironmentFor(dockerHost);
        var plugin = new DockerTool("docker", ["compose"], environment);
        return (await plugin.TryAsync(["version"], cancellationToken)).Succeeded ? plugin : new DockerTool("docker-compose", [], environment);
    }

    /// <summary>A project name as Compose normalizes it (lower case; letters, digits, <c>-</c> and <c>_</c>): the value of its containers' project label.</summary>
    public static string ProjectName(string name) =>
        new([.. name.ToLowerInvariant().Where(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_')]);
}

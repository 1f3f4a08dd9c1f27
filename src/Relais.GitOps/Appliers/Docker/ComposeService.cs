namespace Relais.GitOps.Appliers.Docker;

/// <summary>
/// One service as a compose file defines it, after the tool normalized it (<c>docker stack config</c>,
/// <c>docker compose config</c>): what the appliers compare with what runs.
/// </summary>
/// <param name="Replicas">The wanted number of containers (<c>deploy.replicas</c>, else <c>scale</c>, else 1); null for a global service.</param>
/// <param name="Environment">Variables as the file sets them; a null value is taken from the tool's environment.</param>
/// <param name="Ports">Published ports as <see cref="PublishedPort.Format"/> writes them.</param>
public sealed record ComposeService(string Name, string? Image, int? Replicas, IReadOnlyDictionary<string, string?> Environment, IReadOnlyList<string> Ports)
{
    /// <summary><c>deploy.mode: global</c>: one task on every node.</summary>
    public bool Global => Replicas is null;
}

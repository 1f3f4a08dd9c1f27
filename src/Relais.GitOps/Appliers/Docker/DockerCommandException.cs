namespace Relais.GitOps.Appliers.Docker;

/// <summary>A docker or docker-compose command failed; the message is the command and what it printed.</summary>
public sealed class DockerCommandException(string message) : Exception(message);

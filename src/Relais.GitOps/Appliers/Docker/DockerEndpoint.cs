namespace Relais.GitOps.Appliers.Docker;

/// <summary>
/// The environment a docker or docker-compose run gets for a resource's <c>dockerHost</c>: <c>DOCKER_HOST</c> set to it.
/// For <c>tcp://</c> the agent's own <c>DOCKER_TLS_VERIFY</c> and <c>DOCKER_CERT_PATH</c> are kept (TLS as the docker CLI
/// reads it); for <c>unix://</c> and <c>ssh://</c> they are removed, as are <c>DOCKER_CONTEXT</c> and a context's host.
/// Without a <c>dockerHost</c>, the agent's environment is used unchanged.
/// </summary>
public static class DockerEndpoint
{
    /// <summary>The variables to add to (or, when null, remove from) the agent's environment.</summary>
    public static IReadOnlyDictionary<string, string?> EnvironmentFor(string? dockerHost)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (dockerHost is null)
        {
            return environment;
        }

        environment["DOCKER_HOST"] = dockerHost;
        environment["DOCKER_CONTEXT"] = null;
        if (!dockerHost.StartsWith("tcp://", StringComparison.Ordinal))
        {
            environment["DOCKER_TLS_VERIFY"] = null;
            environment["DOCKER_CERT_PATH"] = null;
        }

        return environment;
    }
}

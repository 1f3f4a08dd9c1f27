using Relais.Runner.Docker;

namespace Relais.TestSupport;

/// <summary>
/// The engine and images the tests use (made by scripts/docker.sh, which scripts/test runs): whether the engine
/// answers, and the local image names. Nothing comes from Docker Hub.
/// </summary>
public static class DockerTest
{
    /// <summary>busybox-static, imported.</summary>
    public const string Busybox = "relais-test/busybox:latest";

    /// <summary>Debian bookworm minbase with git, ca-certificates and curl.</summary>
    public const string Debian = "relais-test/debian:bookworm";

    /// <summary>dockerd, containerd, runc and the docker CLI from the host, with a docker:dind-like entrypoint.</summary>
    public const string Dind = "relais-test/dind:latest";

    /// <summary>The docker CLI from the host on busybox, with an entrypoint like docker:stable's (<c>DOCKER_HOST</c> of a <c>docker</c> service).</summary>
    public const string DockerCli = "relais-test/docker:latest";

    /// <summary>The host's OpenSSH client and server and the docker CLI on busybox; <c>deploy-host</c> starts it as an sshd deploy host (the Swarm test).</summary>
    public const string Ssh = "relais-test/ssh:latest";

    private static readonly Lazy<string?> Missing = new(Check);

    /// <summary>Why the Docker tests cannot run here, or null when they can.</summary>
    public static string? SkipReason => Missing.Value;

    /// <summary>A client for the engine of the environment.</summary>
    public static DockerClient Client() => new();

    private static string? Check()
    {
        using var client = Client();
        if (!client.PingAsync(TimeSpan.FromSeconds(5)).GetAwaiter().GetResult())
        {
            return $"Docker is not available at {client.Endpoint.Host}: run scripts/docker.sh (scripts/test does) to start it and build the test images";
        }

        foreach (var image in new[] { Busybox, Debian, Dind, DockerCli })
        {
            if (client.InspectImageAsync(image, CancellationToken.None).GetAwaiter().GetResult() is null)
            {
                return $"the test image {image} is missing: run scripts/docker.sh to build it";
            }
        }

        return null;
    }
}

/// <summary>A fact that is skipped, with the reason, where no Docker engine (or no test image) is available.</summary>
public sealed class DockerFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when Docker is missing.</summary>
    public DockerFactAttribute()
    {
        if (DockerTest.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}

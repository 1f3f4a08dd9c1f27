namespace Relais.GitOps.Registry;

/// <summary>
/// An image's registry host and repository path, as Docker reads a reference: a first part with a dot, a colon or
/// <c>localhost</c> is the host; otherwise the image is on Docker Hub (<c>registry-1.docker.io</c>) and a single-part
/// name is under <c>library/</c>. A tag or digest after the name is dropped: scanning lists every tag.
/// </summary>
public sealed record ImageReference(string Host, string Repository)
{
    /// <summary>The host Docker Hub's short names resolve to.</summary>
    public const string DockerHubHost = "registry-1.docker.io";

    /// <summary>Parses <paramref name="image"/> (<c>host:port/group/app</c>, <c>nginx</c>, <c>bitnami/redis:7</c>).</summary>
    public static ImageReference Parse(string image)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(image);
        var name = image.Trim();
        var at = name.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            name = name[..at];
        }

        var slash = name.IndexOf('/', StringComparison.Ordinal);
        var lastColon = name.LastIndexOf(':');
        if (lastColon > slash)
        {
            name = name[..lastColon];
        }

        slash = name.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0)
        {
            var first = name[..slash];
            if (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost")
            {
                var host = first == "docker.io" || first == "index.docker.io" ? DockerHubHost : first;
                var path = name[(slash + 1)..];
                return new ImageReference(host, host == DockerHubHost && !path.Contains('/', StringComparison.Ordinal) ? "library/" + path : path);
            }

            return new ImageReference(DockerHubHost, name);
        }

        if (name.Length == 0)
        {
            throw new FormatException($"not an image reference: {image}");
        }

        return new ImageReference(DockerHubHost, "library/" + name);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Host}/{Repository}";
}

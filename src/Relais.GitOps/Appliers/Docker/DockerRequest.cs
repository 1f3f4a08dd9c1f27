using Relais.GitOps.Config;

namespace Relais.GitOps.Appliers.Docker;

/// <summary>Reads an <see cref="ApplyRequest"/> for the Docker appliers: the deployment and its compose file's full path.</summary>
internal static class DockerRequest
{
    /// <summary>The <see cref="DockerDeployment"/> of kind <paramref name="kind"/> and its compose file, which must lie inside the source's folder.</summary>
    public static (DockerDeployment Deployment, string ComposePath) Read(ApplyRequest request, string kind)
    {
        if (request.Resource is not DockerDeployment deployment || deployment.Kind != kind)
        {
            throw new ArgumentException($"the {kind} applier cannot apply a {request.Resource.Kind} ({request.Resource.Key})", nameof(request));
        }

        var root = Path.GetFullPath(request.Source.Directory);
        var path = Path.GetFullPath(Path.Combine(root, deployment.Path));
        if (!path.StartsWith(root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"{deployment.Key}: spec.path \"{deployment.Path}\" leaves the source's folder", nameof(request));
        }

        return (deployment, path);
    }
}

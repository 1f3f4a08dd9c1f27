using Relais.GitOps.Config;
using Relais.GitOps.Registry;

namespace Relais.GitOps.Agent;

/// <summary>Lists an <c>ImageRepository</c>'s tags and what changed since the previous scan of it.</summary>
public interface IImageScanner
{
    /// <exception cref="RegistryAccessException">The registry refused or does not know the image.</exception>
    /// <exception cref="HttpRequestException">The registry could not be reached.</exception>
    Task<TagChanges> ScanAsync(ImageRepository repository, CancellationToken cancellationToken);
}

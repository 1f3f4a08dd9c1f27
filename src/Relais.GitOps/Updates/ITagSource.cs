using Relais.GitOps.Registry;

namespace Relais.GitOps.Updates;

/// <summary>
/// The registry as Flux v1's annotated workloads need it: the tags of an image named in a manifest (not configured as
/// an <c>ImageRepository</c>), and an image's creation time (the order of <c>glob:</c> and <c>regexp:</c> filters).
/// </summary>
public interface ITagSource
{
    Task<IReadOnlyList<string>> TagsAsync(ImageReference image, CancellationToken cancellationToken);

    Task<DateTimeOffset?> CreatedAsync(ImageReference image, string tag, CancellationToken cancellationToken);
}

using Relais.GitOps.Config;

namespace Relais.GitOps.Sources;

/// <summary>Fetches what a <c>GitRepository</c> names (its URL and reference, with the credentials of its <c>secretRef</c>).</summary>
public interface IGitSource
{
    /// <summary>Fetches the newest commit of the repository's reference and answers its files.</summary>
    /// <exception cref="GitSourceException">The repository could not be reached, read or authenticated to (the message says which).</exception>
    Task<SourceArtifact> FetchAsync(GitRepository repository, CancellationToken cancellationToken);
}

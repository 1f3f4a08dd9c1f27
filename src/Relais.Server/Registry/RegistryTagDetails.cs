namespace Relais.Server.Registry;

/// <summary>
/// What the registry says about one tag: the manifest's digest and media type, the image's size (the config and
/// every layer, as GitLab's <c>total_size</c>; an index sums its images) and when the image was built (its config's
/// <c>created</c>; null for an index or a config without it).
/// </summary>
public sealed record RegistryTagDetails(string Name, string Digest, string MediaType, long TotalSize, DateTimeOffset? CreatedAt)
{
    /// <summary>The digest of the image's config blob (GitLab's <c>revision</c> is its hex); null for an index.</summary>
    public string? ConfigDigest { get; init; }
}

namespace Relais.Server.Storage;

/// <summary>
/// A package of a project's package registry: GitLab's <c>package_type</c> (only <c>generic</c> here), a name and a
/// version (one package per the three), and its <c>status</c> (<c>default</c>, or <c>hidden</c> from listings).
/// </summary>
public sealed record PackageRecord
{
    public long Id { get; init; }

    public long ProjectId { get; init; }

    public string PackageType { get; init; } = "generic";

    public string Name { get; init; } = "";

    public string Version { get; init; } = "";

    public string Status { get; init; } = "default";

    /// <summary>The pipeline whose job uploaded the package first (null: uploaded with another token).</summary>
    public long? PipelineId { get; init; }

    /// <summary>As the database returns it (see <c>ApiJson.Time</c>).</summary>
    public string? CreatedAt { get; init; }
}

/// <summary>One file of a package: its name, size and SHA-256, and where its bytes are (relative to the artifact blobs).</summary>
public sealed record PackageFileRecord
{
    public long Id { get; init; }

    public long PackageId { get; init; }

    public string FileName { get; init; } = "";

    public long Size { get; init; }

    public string FileSha256 { get; init; } = "";

    public string BlobPath { get; init; } = "";

    public string? CreatedAt { get; init; }
}

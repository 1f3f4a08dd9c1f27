using System.Text;

namespace Relais.Git;

/// <summary>
/// What <see cref="CatFileBatch"/> read for one <c>rev:path</c>: the blob's bytes, or <see cref="Missing"/> when there
/// is no such file at that revision (or the path names a directory, or the revision does not exist).
/// </summary>
public readonly record struct GitBlob(bool Exists, ReadOnlyMemory<byte> Content)
{
    /// <summary>No file there.</summary>
    public static GitBlob Missing => default;

    /// <summary>The content as UTF-8 text (a byte-order mark is dropped); null when missing.</summary>
    public string? Text => Exists ? new UTF8Encoding(false).GetString(Content.Span).TrimStart('\uFEFF') : null;
}

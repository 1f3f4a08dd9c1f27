namespace Relais.Server.Storage;

/// <summary>A project's package registry: packages and their files. Every method is its own transaction.</summary>
public interface IPackageStore
{
    /// <summary>
    /// Adds <paramref name="file"/> to the package <paramref name="package"/> names (type, name, version), creating the
    /// package when missing; an upload with a status sets the package's status. Returns the package and the stored file.
    /// </summary>
    Task<(PackageRecord Package, PackageFileRecord File)> AddFileAsync(PackageRecord package, PackageFileRecord file, bool setStatus, DateTimeOffset now, CancellationToken cancel = default);

    Task<PackageRecord?> GetAsync(long projectId, long packageId, CancellationToken cancel = default);

    Task<PackageRecord?> FindAsync(long projectId, string packageType, string name, string version, CancellationToken cancel = default);

    /// <summary>The project's packages (<paramref name="packageType"/> null: every type; <paramref name="status"/> null: all but hidden ones), oldest first, and how many there are.</summary>
    Task<(IReadOnlyList<PackageRecord> Page, int Total)> ListAsync(long projectId, string? packageType, string? name, string? status, int offset, int limit, CancellationToken cancel = default);

    /// <summary>The package's files, oldest first.</summary>
    Task<IReadOnlyList<PackageFileRecord>> ListFilesAsync(long packageId, CancellationToken cancel = default);

    /// <summary>Deletes the package and its file rows; returns the rows deleted so their blobs can go too (empty: none).</summary>
    Task<IReadOnlyList<PackageFileRecord>> DeleteAsync(long packageId, CancellationToken cancel = default);
}

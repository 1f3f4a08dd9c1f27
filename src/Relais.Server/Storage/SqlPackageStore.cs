using Dapper;

namespace Relais.Server.Storage;

/// <summary>The <see cref="IPackageStore"/> over SQLite or PostgreSQL (<c>packages</c>, <c>package_files</c>).</summary>
internal sealed class SqlPackageStore(IDatabase db) : IPackageStore
{
    private const string Columns = "id, project_id, package_type, name, version, status, pipeline_id, created_at";
    private const string FileColumns = "id, package_id, file_name, size, file_sha256, blob_path, created_at";

    public async Task<(PackageRecord Package, PackageFileRecord File)> AddFileAsync(PackageRecord package, PackageFileRecord file, bool setStatus, DateTimeOffset now, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(package);
        ArgumentNullException.ThrowIfNull(file);
        await using var c = await db.OpenAsync(cancel);
        await using var tx = await c.BeginTransactionAsync(cancel);
        await c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO packages (project_id, package_type, name, version, status, pipeline_id, created_at)
            VALUES (@ProjectId, @PackageType, @Name, @Version, @Status, @PipelineId, @now)
            ON CONFLICT (project_id, package_type, name, version) DO NOTHING
            """,
            new { package.ProjectId, package.PackageType, package.Name, package.Version, package.Status, package.PipelineId, now },
            tx,
            cancellationToken: cancel));
        var stored = await c.QuerySingleAsync<PackageRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM packages WHERE project_id = @ProjectId AND package_type = @PackageType AND name = @Name AND version = @Version",
            package,
            tx,
            cancellationToken: cancel));
        if (setStatus && stored.Status != package.Status)
        {
            await c.ExecuteAsync(new CommandDefinition("UPDATE packages SET status = @Status WHERE id = @id", new { package.Status, id = stored.Id }, tx, cancellationToken: cancel));
            stored = stored with { Status = package.Status };
        }

        var fileId = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO package_files (package_id, file_name, size, file_sha256, blob_path, created_at)
            VALUES (@packageId, @FileName, @Size, @FileSha256, @BlobPath, @now) RETURNING id
            """,
            new { packageId = stored.Id, file.FileName, file.Size, file.FileSha256, file.BlobPath, now },
            tx,
            cancellationToken: cancel));
        var storedFile = await c.QuerySingleAsync<PackageFileRecord>(new CommandDefinition(
            $"SELECT {FileColumns} FROM package_files WHERE id = @fileId", new { fileId }, tx, cancellationToken: cancel));
        await tx.CommitAsync(cancel);
        return (stored, storedFile);
    }

    public async Task<PackageRecord?> GetAsync(long projectId, long packageId, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.QuerySingleOrDefaultAsync<PackageRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM packages WHERE id = @packageId AND project_id = @projectId", new { projectId, packageId }, cancellationToken: cancel));
    }

    public async Task<PackageRecord?> FindAsync(long projectId, string packageType, string name, string version, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.QuerySingleOrDefaultAsync<PackageRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM packages WHERE project_id = @projectId AND package_type = @packageType AND name = @name AND version = @version",
            new { projectId, packageType, name, version },
            cancellationToken: cancel));
    }

    public async Task<(IReadOnlyList<PackageRecord> Page, int Total)> ListAsync(long projectId, string? packageType, string? name, string? status, int offset, int limit, CancellationToken cancel = default)
    {
        const string Where = """
            WHERE project_id = @projectId AND (@packageType IS NULL OR package_type = @packageType)
              AND (@name IS NULL OR name LIKE @like) AND ((@status IS NULL AND status <> 'hidden') OR status = @status)
            """;
        var args = new { projectId, packageType, name, like = "%" + name + "%", status, offset, limit };
        await using var c = await db.OpenAsync(cancel);
        var total = await c.ExecuteScalarAsync<int>(new CommandDefinition("SELECT COUNT(*) FROM packages " + Where, args, cancellationToken: cancel));
        var page = await c.QueryAsync<PackageRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM packages {Where} ORDER BY created_at, id LIMIT @limit OFFSET @offset", args, cancellationToken: cancel));
        return ([.. page], total);
    }

    public async Task<IReadOnlyList<PackageFileRecord>> ListFilesAsync(long packageId, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return [.. await c.QueryAsync<PackageFileRecord>(new CommandDefinition(
            $"SELECT {FileColumns} FROM package_files WHERE package_id = @packageId ORDER BY id", new { packageId }, cancellationToken: cancel))];
    }

    public async Task<IReadOnlyList<PackageFileRecord>> DeleteAsync(long packageId, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        await using var tx = await c.BeginTransactionAsync(cancel);
        var files = (await c.QueryAsync<PackageFileRecord>(new CommandDefinition(
            $"SELECT {FileColumns} FROM package_files WHERE package_id = @packageId", new { packageId }, tx, cancellationToken: cancel))).ToList();
        await c.ExecuteAsync(new CommandDefinition("DELETE FROM package_files WHERE package_id = @packageId", new { packageId }, tx, cancellationToken: cancel));
        var deleted = await c.ExecuteAsync(new CommandDefinition("DELETE FROM packages WHERE id = @packageId", new { packageId }, tx, cancellationToken: cancel));
        await tx.CommitAsync(cancel);
        return deleted == 1 ? files : [];
    }
}

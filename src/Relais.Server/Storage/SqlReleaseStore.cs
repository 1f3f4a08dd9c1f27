using System.Data.Common;
using Dapper;

namespace Relais.Server.Storage;

/// <summary>The <see cref="IReleaseStore"/> over SQLite or PostgreSQL (<c>releases</c>, <c>release_links</c>).</summary>
internal sealed class SqlReleaseStore(IDatabase db) : IReleaseStore
{
    private const string Columns = "id, project_id, tag_name, name, description, sha, author_id, released_at, created_at";
    private const string LinkColumns = "id, release_id, name, url, direct_asset_path, link_type";

    public async Task<ReleaseRecord?> AddAsync(ReleaseRecord release, IReadOnlyList<ReleaseLinkRecord> links, DateTimeOffset releasedAt, DateTimeOffset now, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(release);
        ArgumentNullException.ThrowIfNull(links);
        await using var c = await db.OpenAsync(cancel);
        await using var tx = await c.BeginTransactionAsync(cancel);
        var id = await c.ExecuteScalarAsync<long?>(new CommandDefinition(
            """
            INSERT INTO releases (project_id, tag_name, name, description, sha, author_id, released_at, created_at)
            VALUES (@ProjectId, @TagName, @Name, @Description, @Sha, @AuthorId, @releasedAt, @now)
            ON CONFLICT (project_id, tag_name) DO NOTHING RETURNING id
            """,
            new { release.ProjectId, release.TagName, release.Name, release.Description, release.Sha, release.AuthorId, releasedAt, now },
            tx,
            cancellationToken: cancel));
        if (id is not { } releaseId)
        {
            return null;
        }

        foreach (var link in links)
        {
            await InsertLinkAsync(c, tx, link with { ReleaseId = releaseId }, now, cancel);
        }

        await tx.CommitAsync(cancel);
        return await c.QuerySingleAsync<ReleaseRecord>(new CommandDefinition($"SELECT {Columns} FROM releases WHERE id = @releaseId", new { releaseId }, cancellationToken: cancel));
    }

    public async Task<ReleaseRecord?> FindAsync(long projectId, string tagName, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.QuerySingleOrDefaultAsync<ReleaseRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM releases WHERE project_id = @projectId AND tag_name = @tagName", new { projectId, tagName }, cancellationToken: cancel));
    }

    public async Task<(IReadOnlyList<ReleaseRecord> Page, int Total)> ListAsync(long projectId, bool byCreated, bool ascending, int offset, int limit, CancellationToken cancel = default)
    {
        var order = (byCreated ? "created_at" : "released_at") + (ascending ? " ASC, id ASC" : " DESC, id DESC");
        await using var c = await db.OpenAsync(cancel);
        var total = await c.ExecuteScalarAsync<int>(new CommandDefinition("SELECT COUNT(*) FROM releases WHERE project_id = @projectId", new { projectId }, cancellationToken: cancel));
        var page = await c.QueryAsync<ReleaseRecord>(new CommandDefinition(
            $"SELECT {Columns} FROM releases WHERE project_id = @projectId ORDER BY {order} LIMIT @limit OFFSET @offset",
            new { projectId, limit, offset },
            cancellationToken: cancel));
        return ([.. page], total);
    }

    public async Task<bool> UpdateAsync(long id, string name, string? description, DateTimeOffset? releasedAt, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        var sql = releasedAt is null
            ? "UPDATE releases SET name = @name, description = @description WHERE id = @id"
            : "UPDATE releases SET name = @name, description = @description, released_at = @releasedAt WHERE id = @id";
        return await c.ExecuteAsync(new CommandDefinition(sql, new { id, name, description, releasedAt }, cancellationToken: cancel)) == 1;
    }

    public async Task<bool> DeleteAsync(long id, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        await using var tx = await c.BeginTransactionAsync(cancel);
        await c.ExecuteAsync(new CommandDefinition("DELETE FROM release_links WHERE release_id = @id", new { id }, tx, cancellationToken: cancel));
        var deleted = await c.ExecuteAsync(new CommandDefinition("DELETE FROM releases WHERE id = @id", new { id }, tx, cancellationToken: cancel)) == 1;
        await tx.CommitAsync(cancel);
        return deleted;
    }

    public async Task<IReadOnlyList<ReleaseLinkRecord>> ListLinksAsync(IReadOnlyCollection<long> releaseIds, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(releaseIds);
        if (releaseIds.Count == 0)
        {
            return [];
        }

        await using var c = await db.OpenAsync(cancel);
        var ids = string.Join(',', releaseIds.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return [.. await c.QueryAsync<ReleaseLinkRecord>(new CommandDefinition(
            $"SELECT {LinkColumns} FROM release_links WHERE release_id IN ({ids}) ORDER BY id", cancellationToken: cancel))];
    }

    public async Task<ReleaseLinkRecord> AddLinkAsync(ReleaseLinkRecord link, DateTimeOffset now, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(link);
        await using var c = await db.OpenAsync(cancel);
        var id = await InsertLinkAsync(c, null, link, now, cancel);
        return link with { Id = id };
    }

    public async Task<bool> UpdateLinkAsync(ReleaseLinkRecord link, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(link);
        await using var c = await db.OpenAsync(cancel);
        return await c.ExecuteAsync(new CommandDefinition(
            "UPDATE release_links SET name = @Name, url = @Url, direct_asset_path = @DirectAssetPath, link_type = @LinkType WHERE id = @Id AND release_id = @ReleaseId",
            link,
            cancellationToken: cancel)) == 1;
    }

    public async Task<bool> DeleteLinkAsync(long releaseId, long linkId, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.ExecuteAsync(new CommandDefinition(
            "DELETE FROM release_links WHERE id = @linkId AND release_id = @releaseId", new { releaseId, linkId }, cancellationToken: cancel)) == 1;
    }

    private static Task<long> InsertLinkAsync(DbConnection c, DbTransaction? tx, ReleaseLinkRecord link, DateTimeOffset now, CancellationToken cancel) =>
        c.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO release_links (release_id, name, url, direct_asset_path, link_type, created_at)
            VALUES (@ReleaseId, @Name, @Url, @DirectAssetPath, @LinkType, @now) RETURNING id
            """,
            new { link.ReleaseId, link.Name, link.Url, link.DirectAssetPath, link.LinkType, now },
            tx,
            cancellationToken: cancel));
}

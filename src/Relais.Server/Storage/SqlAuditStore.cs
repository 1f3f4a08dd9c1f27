using Dapper;

namespace Relais.Server.Storage;

/// <summary>The <see cref="IAuditStore"/> over SQLite or PostgreSQL.</summary>
internal sealed class SqlAuditStore(IDatabase db) : IAuditStore
{
    public async Task AddAuditEventAsync(AuditEventRecord e, DateTimeOffset now, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(e);
        await using var c = await db.OpenAsync(cancel);
        await c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO audit_events (author_id, author_name, action, entity_type, entity_id, entity_path, details, ip_address, created_at)
            VALUES (@AuthorId, @AuthorName, @Action, @EntityType, @EntityId, @EntityPath, @Details, @IpAddress, @now)
            """,
            new { e.AuthorId, e.AuthorName, e.Action, e.EntityType, e.EntityId, e.EntityPath, e.Details, e.IpAddress, now },
            cancellationToken: cancel));
    }

    public async Task<Page<AuditEventRecord>> ListAuditEventsAsync(string? entityType, int offset, int limit, CancellationToken cancel = default)
    {
        var where = entityType is null ? "" : "WHERE entity_type = @entityType";
        await using var c = await db.OpenAsync(cancel);
        var total = await c.ExecuteScalarAsync<int>(new CommandDefinition($"SELECT COUNT(*) FROM audit_events {where}", new { entityType }, cancellationToken: cancel));
        var rows = await c.QueryAsync<AuditEventRecord>(new CommandDefinition(
            $"""
            SELECT id, author_id, author_name, action, entity_type, entity_id, entity_path, details, ip_address, created_at
            FROM audit_events {where} ORDER BY id DESC LIMIT @limit OFFSET @offset
            """,
            new { entityType, offset, limit },
            cancellationToken: cancel));
        return new Page<AuditEventRecord>([.. rows], total);
    }
}

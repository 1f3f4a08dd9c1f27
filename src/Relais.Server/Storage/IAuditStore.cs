namespace Relais.Server.Storage;

/// <summary>The audit log. Every method may be called concurrently; each call is its own transaction.</summary>
public interface IAuditStore
{
    Task AddAuditEventAsync(AuditEventRecord e, DateTimeOffset now, CancellationToken cancel = default);

    /// <summary>The audit log, newest first; <paramref name="entityType"/> filters when given.</summary>
    Task<Page<AuditEventRecord>> ListAuditEventsAsync(string? entityType, int offset, int limit, CancellationToken cancel = default);
}

using Microsoft.AspNetCore.Http;
using Relais.Server.Storage;

namespace Relais.Server.Security;

/// <summary>Who did something: a user (id and name), or a runner, a job or an anonymous caller (name only).</summary>
public sealed record AuditActor(long? Id, string Name)
{
    public static AuditActor Of(UserRecord? user) => user is null ? new(null, "anonymous") : new(user.Id, user.Username);
}

/// <summary>
/// Writes one line to the audit log (<c>audit_events</c>, read with <c>GET /api/v4/audit_events</c>): who, what, on
/// what, when (the server's clock) and from where (the client address). Administrative actions call it directly;
/// token use and failed authentication are written by <see cref="AuthGuard"/>. A request made with sudo is recorded as
/// its administrator's, saying whom they acted as.
/// </summary>
public sealed class AuditLog(IAuditStore auditStore, TimeProvider time)
{
    public Task RecordAsync(
        HttpContext http, AuditActor who, string action, string entityType, long? entityId, string? entityPath, string? details = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(who);
        if (SudoActors.Of(http) is { } real && real != who)
        {
            details = $"as {who.Name} (sudo)" + (details is null ? "" : ": " + details);
            who = real;
        }

        return auditStore.AddAuditEventAsync(
            new AuditEventRecord
            {
                AuthorId = who.Id,
                AuthorName = who.Name,
                Action = action,
                EntityType = entityType,
                EntityId = entityId,
                EntityPath = entityPath,
                Details = details,
                IpAddress = http.Connection.RemoteIpAddress?.ToString(),
            },
            time.GetUtcNow(),
            CancellationToken.None); // what happened is recorded even if the client has gone
    }
}

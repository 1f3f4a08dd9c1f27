using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Storage;

namespace Relais.Server.Api;

/// <summary>
/// <c>GET /api/v4/audit_events</c> (administrators; <c>entity_type</c> filters; paged, newest first), roughly in
/// GitLab's instance audit event shape: <c>id</c>, <c>author_id</c>, <c>entity_id</c>, <c>entity_type</c>,
/// <c>event_name</c>, <c>details</c> (<c>author_name</c>, <c>target_details</c>, <c>custom_message</c>,
/// <c>ip_address</c>), <c>created_at</c>.
/// </summary>
internal sealed class AuditEventEndpoints(UserEndpoints users, IAuditStore auditStore)
{
    public void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/v4/audit_events", Task<IResult> (HttpContext http) => users.AdminAsync(http, async _ =>
        {
            var paging = Paging.From(http.Request);
            var type = http.Request.Query["entity_type"].ToString() is { Length: > 0 } t ? t : null;
            var page = await auditStore.ListAuditEventsAsync(type, paging.Offset, paging.PerPage, http.RequestAborted);
            paging.WriteHeaders(http.Response, page.Total);
            return ApiJson.Ok(page.Items.Select(View).ToList());
        }));

    private static AuditEventView View(AuditEventRecord e) => new(
        e.Id,
        e.AuthorId ?? -1,
        e.EntityId ?? 0,
        e.EntityType,
        e.Action,
        new AuditDetailsView(e.AuthorName, e.EntityPath, e.Details, e.IpAddress, e.Action),
        ApiJson.Time(e.CreatedAt));
}

/// <summary>One audit event (GitLab uses <c>author_id: -1</c> for an unauthenticated author).</summary>
public sealed record AuditEventView(long Id, long AuthorId, long EntityId, string EntityType, string EventName, AuditDetailsView Details, string? CreatedAt);

/// <summary>The <c>details</c> of an audit event.</summary>
public sealed record AuditDetailsView(string AuthorName, string? TargetDetails, string? CustomMessage, string? IpAddress, string Action);

namespace Relais.Server.Storage;

/// <summary>
/// Outgoing webhooks and their delivery queue. Every method may be called concurrently, also from several
/// coordinators over one database: a delivery is sent by whoever wins <see cref="ClaimDueAsync"/> (a conditional
/// UPDATE on its claim), so one sender per attempt. Times compared in SQL are stored as UTC text.
/// </summary>
public interface IWebhookStore
{
    Task<WebhookRecord> AddAsync(WebhookRecord hook, DateTimeOffset now, CancellationToken cancel = default);

    /// <summary>Replaces the editable fields (url, name, description, token, events, filter, SSL, headers); false when not found.</summary>
    Task<bool> UpdateAsync(WebhookRecord hook, CancellationToken cancel = default);

    Task<WebhookRecord?> GetAsync(long projectId, long hookId, CancellationToken cancel = default);

    Task<IReadOnlyList<WebhookRecord>> ListAsync(long projectId, CancellationToken cancel = default);

    /// <summary>Deletes the hook and its deliveries; false when not found.</summary>
    Task<bool> DeleteAsync(long projectId, long hookId, CancellationToken cancel = default);

    /// <summary>Stores one delivery in its <see cref="WebhookDeliveryRecord.State"/> (pending: queued), due at <paramref name="now"/>, and returns it.</summary>
    Task<WebhookDeliveryRecord> EnqueueAsync(WebhookDeliveryRecord delivery, DateTimeOffset now, CancellationToken cancel = default);

    /// <summary>
    /// Claims up to <paramref name="limit"/> pending deliveries due at <paramref name="now"/> whose claim has lapsed, for
    /// <paramref name="lease"/> (a coordinator that dies mid-send leaves it to another after the lease), and returns them.
    /// </summary>
    Task<IReadOnlyList<WebhookDeliveryRecord>> ClaimDueAsync(DateTimeOffset now, TimeSpan lease, int limit, CancellationToken cancel = default);

    /// <summary>
    /// Records an attempt of a claimed delivery: its state (<paramref name="nextAttemptAt"/> null ends it as delivered
    /// or failed, else it is pending again from then), and the hook's failure streak and pause.
    /// </summary>
    Task RecordAttemptAsync(WebhookDeliveryRecord delivery, WebhookAttempt attempt, string state, DateTimeOffset? nextAttemptAt, DateTimeOffset? hookDisabledUntil, DateTimeOffset now, CancellationToken cancel = default);

    /// <summary>Makes a delivery pending again, due now (a Maintainer resends it); false when not found.</summary>
    Task<bool> ResendAsync(long hookId, long deliveryId, DateTimeOffset now, CancellationToken cancel = default);

    /// <summary>The hook's deliveries, newest first.</summary>
    Task<IReadOnlyList<WebhookDeliveryRecord>> ListDeliveriesAsync(long hookId, int limit, CancellationToken cancel = default);

    Task<WebhookDeliveryRecord?> GetDeliveryAsync(long hookId, long deliveryId, CancellationToken cancel = default);
}

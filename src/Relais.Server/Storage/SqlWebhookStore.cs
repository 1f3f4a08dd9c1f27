using Dapper;

namespace Relais.Server.Storage;

/// <summary>The <see cref="IWebhookStore"/> over SQLite or PostgreSQL (<c>webhooks</c>, <c>webhook_deliveries</c>).</summary>
internal sealed class SqlWebhookStore(IDatabase db) : IWebhookStore
{
    private const string HookColumns =
        "id, project_id, url, name, description, sealed_token, events, push_events_branch_filter, enable_ssl_verification, custom_headers, recent_failures, disabled_until, created_at";

    private const string DeliveryColumns =
        "id, hook_id, project_id, event, hook_trigger, uuid, payload, state, attempts, next_attempt_at, response_status, response_excerpt, error, execution_duration, created_at, updated_at";

    public async Task<WebhookRecord> AddAsync(WebhookRecord hook, DateTimeOffset now, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(hook);
        await using var c = await db.OpenAsync(cancel);
        var id = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO webhooks (project_id, url, name, description, sealed_token, events, push_events_branch_filter, enable_ssl_verification, custom_headers, created_at)
            VALUES (@ProjectId, @Url, @Name, @Description, @SealedToken, @Events, @PushEventsBranchFilter, @EnableSslVerification, @CustomHeaders, @now) RETURNING id
            """,
            new { hook.ProjectId, hook.Url, hook.Name, hook.Description, hook.SealedToken, hook.Events, hook.PushEventsBranchFilter, hook.EnableSslVerification, hook.CustomHeaders, now },
            cancellationToken: cancel));
        return (await GetAsync(hook.ProjectId, id, cancel))!;
    }

    public async Task<bool> UpdateAsync(WebhookRecord hook, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(hook);
        await using var c = await db.OpenAsync(cancel);
        return await c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE webhooks SET url = @Url, name = @Name, description = @Description, sealed_token = @SealedToken, events = @Events,
                push_events_branch_filter = @PushEventsBranchFilter, enable_ssl_verification = @EnableSslVerification, custom_headers = @CustomHeaders
            WHERE id = @Id AND project_id = @ProjectId
            """,
            new { hook.Id, hook.ProjectId, hook.Url, hook.Name, hook.Description, hook.SealedToken, hook.Events, hook.PushEventsBranchFilter, hook.EnableSslVerification, hook.CustomHeaders },
            cancellationToken: cancel)) == 1;
    }

    public async Task<WebhookRecord?> GetAsync(long projectId, long hookId, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.QuerySingleOrDefaultAsync<WebhookRecord>(new CommandDefinition(
            $"SELECT {HookColumns} FROM webhooks WHERE id = @hookId AND project_id = @projectId", new { projectId, hookId }, cancellationToken: cancel));
    }

    public async Task<IReadOnlyList<WebhookRecord>> ListAsync(long projectId, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return [.. await c.QueryAsync<WebhookRecord>(new CommandDefinition(
            $"SELECT {HookColumns} FROM webhooks WHERE project_id = @projectId ORDER BY id", new { projectId }, cancellationToken: cancel))];
    }

    public async Task<bool> DeleteAsync(long projectId, long hookId, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        await using var tx = await c.BeginTransactionAsync(cancel);
        await c.ExecuteAsync(new CommandDefinition(
            "DELETE FROM webhook_deliveries WHERE hook_id = @hookId AND project_id = @projectId", new { projectId, hookId }, tx, cancellationToken: cancel));
        var deleted = await c.ExecuteAsync(new CommandDefinition(
            "DELETE FROM webhooks WHERE id = @hookId AND project_id = @projectId", new { projectId, hookId }, tx, cancellationToken: cancel)) == 1;
        await tx.CommitAsync(cancel);
        return deleted;
    }

    public async Task<WebhookDeliveryRecord> EnqueueAsync(WebhookDeliveryRecord delivery, DateTimeOffset now, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        await using var c = await db.OpenAsync(cancel);
        var id = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO webhook_deliveries (hook_id, project_id, event, hook_trigger, uuid, payload, state, attempts, next_attempt_at, created_at, updated_at)
            VALUES (@HookId, @ProjectId, @Event, @HookTrigger, @Uuid, @Payload, @State, 0, @due, @now, @now) RETURNING id
            """,
            new { delivery.HookId, delivery.ProjectId, delivery.Event, delivery.HookTrigger, delivery.Uuid, delivery.Payload, delivery.State, due = SqlKeyStore.StoredTime(now), now },
            cancellationToken: cancel));
        return (await GetDeliveryAsync(delivery.HookId, id, cancel))!;
    }

    public async Task<IReadOnlyList<WebhookDeliveryRecord>> ClaimDueAsync(DateTimeOffset now, TimeSpan lease, int limit, CancellationToken cancel = default)
    {
        var skipLocked = db.Dialect.Name == "postgres" ? "FOR UPDATE SKIP LOCKED" : "";
        await using var c = await db.OpenAsync(cancel);
        // Conditional on the claim having lapsed, in the outer WHERE too: of two coordinators racing for a row, one updates it.
        return [.. await c.QueryAsync<WebhookDeliveryRecord>(new CommandDefinition(
            $"""
            UPDATE webhook_deliveries SET claimed_until = @until
            WHERE id IN (
                SELECT d.id FROM webhook_deliveries d
                WHERE d.state = @pending AND d.next_attempt_at <= @nowText AND (d.claimed_until IS NULL OR d.claimed_until <= @nowText)
                    AND NOT EXISTS (SELECT 1 FROM webhooks h WHERE h.id = d.hook_id AND h.disabled_until > @nowText)
                ORDER BY d.id LIMIT @limit {skipLocked})
                AND state = @pending AND (claimed_until IS NULL OR claimed_until <= @nowText)
            RETURNING {DeliveryColumns}
            """,
            new { until = SqlKeyStore.StoredTime(now + lease), nowText = SqlKeyStore.StoredTime(now), pending = WebhookDeliveryStates.Pending, limit },
            cancellationToken: cancel))];
    }

    public async Task RecordAttemptAsync(
        WebhookDeliveryRecord delivery, WebhookAttempt attempt, string state, DateTimeOffset? nextAttemptAt, DateTimeOffset? hookDisabledUntil, DateTimeOffset now, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(attempt);
        await using var c = await db.OpenAsync(cancel);
        await using var tx = await c.BeginTransactionAsync(cancel);
        await c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE webhook_deliveries SET state = @state, attempts = attempts + 1, next_attempt_at = @next, claimed_until = NULL,
                response_status = @Status, response_excerpt = @ResponseExcerpt, error = @Error, execution_duration = @duration, updated_at = @now
            WHERE id = @Id
            """,
            new
            {
                delivery.Id, state, next = SqlKeyStore.StoredTime(nextAttemptAt ?? now), attempt.Status, attempt.ResponseExcerpt, attempt.Error,
                duration = Math.Round(attempt.Duration.TotalSeconds, 3), now,
            },
            tx,
            cancellationToken: cancel));
        await c.ExecuteAsync(new CommandDefinition(
            attempt.Succeeded
                ? "UPDATE webhooks SET recent_failures = 0, disabled_until = NULL WHERE id = @HookId"
                : "UPDATE webhooks SET recent_failures = recent_failures + 1, disabled_until = @disabledUntil WHERE id = @HookId",
            new { delivery.HookId, disabledUntil = hookDisabledUntil is { } until ? SqlKeyStore.StoredTime(until) : null },
            tx,
            cancellationToken: cancel));
        await tx.CommitAsync(cancel);
    }

    public async Task<bool> ResendAsync(long hookId, long deliveryId, DateTimeOffset now, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE webhook_deliveries SET state = @pending, next_attempt_at = @due, claimed_until = NULL, updated_at = @now
            WHERE id = @deliveryId AND hook_id = @hookId
            """,
            new { hookId, deliveryId, pending = WebhookDeliveryStates.Pending, due = SqlKeyStore.StoredTime(now), now },
            cancellationToken: cancel)) == 1;
    }

    public async Task<IReadOnlyList<WebhookDeliveryRecord>> ListDeliveriesAsync(long hookId, int limit, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return [.. await c.QueryAsync<WebhookDeliveryRecord>(new CommandDefinition(
            $"SELECT {DeliveryColumns} FROM webhook_deliveries WHERE hook_id = @hookId ORDER BY id DESC LIMIT @limit", new { hookId, limit }, cancellationToken: cancel))];
    }

    public async Task<WebhookDeliveryRecord?> GetDeliveryAsync(long hookId, long deliveryId, CancellationToken cancel = default)
    {
        await using var c = await db.OpenAsync(cancel);
        return await c.QuerySingleOrDefaultAsync<WebhookDeliveryRecord>(new CommandDefinition(
            $"SELECT {DeliveryColumns} FROM webhook_deliveries WHERE id = @deliveryId AND hook_id = @hookId", new { hookId, deliveryId }, cancellationToken: cancel));
    }
}

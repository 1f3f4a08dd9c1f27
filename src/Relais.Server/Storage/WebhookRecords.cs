namespace Relais.Server.Storage;

/// <summary>
/// A project's outgoing webhook: where events go and which (<see cref="Events"/>: GitLab's trigger names such as
/// <c>pipeline_events</c>, comma-separated). The secret token is kept encrypted (<see cref="SealedToken"/>) and never shown.
/// </summary>
public sealed record WebhookRecord
{
    public long Id { get; init; }

    public long ProjectId { get; init; }

    public string Url { get; init; } = "";

    public string Name { get; init; } = "";

    public string Description { get; init; } = "";

    /// <summary>The <c>X-Gitlab-Token</c> value, encrypted with the server's secret key; null: none.</summary>
    public string? SealedToken { get; init; }

    /// <summary>The triggers it listens to (<c>push_events</c>, <c>tag_push_events</c>, <c>pipeline_events</c>, …), comma-separated.</summary>
    public string Events { get; init; } = "";

    /// <summary>A branch name or wildcard pattern push events must match; empty: every branch.</summary>
    public string PushEventsBranchFilter { get; init; } = "";

    public bool EnableSslVerification { get; init; } = true;

    /// <summary>Extra request headers as a JSON object (<c>{"Name": "value"}</c>); empty: none.</summary>
    public string CustomHeaders { get; init; } = "";

    /// <summary>Failed deliveries in a row (reset by a success).</summary>
    public int RecentFailures { get; init; }

    /// <summary>UTC text: the hook sends nothing before then (paused after repeated failures); null: active.</summary>
    public string? DisabledUntil { get; init; }

    /// <summary>As the database returns it.</summary>
    public string? CreatedAt { get; init; }

    public IReadOnlyList<string> EventList => Events.Split(',', StringSplitOptions.RemoveEmptyEntries);

    public bool Listens(string trigger) => EventList.Contains(trigger, StringComparer.Ordinal);
}

/// <summary>
/// One event for one hook in the delivery queue: the request body (<see cref="Payload"/>) and how its sending went.
/// <see cref="State"/> is <c>pending</c> (waiting for <see cref="NextAttemptAt"/>), <c>delivered</c> or <c>failed</c> (gave up).
/// </summary>
public sealed record WebhookDeliveryRecord
{
    public long Id { get; init; }

    public long HookId { get; init; }

    public long ProjectId { get; init; }

    /// <summary>The <c>X-Gitlab-Event</c> value, e.g. <c>Pipeline Hook</c>.</summary>
    public string Event { get; init; } = "";

    /// <summary>GitLab's trigger name, e.g. <c>pipeline_hooks</c>.</summary>
    public string HookTrigger { get; init; } = "";

    /// <summary>The <c>X-Gitlab-Event-UUID</c> value (the same on every attempt).</summary>
    public string Uuid { get; init; } = "";

    public string Payload { get; init; } = "";

    public string State { get; init; } = WebhookDeliveryStates.Pending;

    public int Attempts { get; init; }

    /// <summary>UTC text.</summary>
    public string NextAttemptAt { get; init; } = "";

    public int? ResponseStatus { get; init; }

    /// <summary>The first bytes of the last response body.</summary>
    public string? ResponseExcerpt { get; init; }

    /// <summary>Why the last attempt failed without a response (refused address, timeout, connection error).</summary>
    public string? Error { get; init; }

    /// <summary>Seconds the last attempt took.</summary>
    public double? ExecutionDuration { get; init; }

    public string? CreatedAt { get; init; }

    public string? UpdatedAt { get; init; }
}

/// <summary>The states of a <see cref="WebhookDeliveryRecord"/>.</summary>
public static class WebhookDeliveryStates
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Failed = "failed";

    /// <summary>A test delivery (<c>POST …/hooks/:id/test/:trigger</c>) the request sends itself: the sender loop leaves it alone.</summary>
    public const string Sending = "sending";
}

/// <summary>How one attempt at a delivery went: the response's status (null: none came) and what to keep of it.</summary>
public sealed record WebhookAttempt(int? Status, string? ResponseExcerpt, string? Error, TimeSpan Duration)
{
    public bool Succeeded => Status is >= 200 and < 300;
}

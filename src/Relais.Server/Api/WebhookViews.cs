using Relais.Server.Storage;
using Relais.Server.Webhooks;

namespace Relais.Server.Api;

/// <summary>A custom header as the API shows it: its name only (values are never shown).</summary>
public sealed record WebhookHeaderView(string Key);

/// <summary>A project webhook in GitLab's shape (<c>GET /projects/:id/hooks/:hook_id</c>); the token is never shown.</summary>
public sealed record WebhookView(
    long Id, string Url, string Name, string Description, long ProjectId,
    bool PushEvents, string PushEventsBranchFilter, bool IssuesEvents, bool ConfidentialIssuesEvents, bool MergeRequestsEvents,
    bool TagPushEvents, bool NoteEvents, bool ConfidentialNoteEvents, bool JobEvents, bool PipelineEvents, bool WikiPageEvents,
    bool DeploymentEvents, bool ReleasesEvents, bool MilestoneEvents, bool FeatureFlagEvents, bool EnableSslVerification,
    bool RepositoryUpdateEvents, string AlertStatus, string? DisabledUntil, IReadOnlyList<object> UrlVariables, string? CreatedAt,
    bool ResourceAccessTokenEvents, string CustomWebhookTemplate, IReadOnlyList<WebhookHeaderView> CustomHeaders);

/// <summary>One delivery as <c>GET /projects/:id/hooks/:hook_id/events</c> shows it (GitLab's hook log, plus the queue's state).</summary>
public sealed record WebhookEventView(
    long Id, string Url, string Trigger, IReadOnlyDictionary<string, string> RequestHeaders, object? RequestData, string? ResponseBody,
    double? ExecutionDuration, string ResponseStatus, string State, int Attempts, string? NextAttemptAt, string? Error, string? CreatedAt, string? UpdatedAt);

/// <summary>Webhooks and their deliveries as the API shows them.</summary>
internal static class WebhookViews
{
    public static WebhookView Hook(WebhookRecord h, DateTimeOffset now)
    {
        var paused = h.DisabledUntil is { } until && string.CompareOrdinal(until, SqlKeyStore.StoredTime(now)) > 0;
        return new WebhookView(
            h.Id, h.Url, h.Name, h.Description, h.ProjectId,
            h.Listens(WebhookTriggers.Push), h.PushEventsBranchFilter, false, false, false,
            h.Listens(WebhookTriggers.TagPush), false, false, h.Listens(WebhookTriggers.Job), h.Listens(WebhookTriggers.Pipeline), false,
            h.Listens(WebhookTriggers.Deployment), h.Listens(WebhookTriggers.Releases), false, false, h.EnableSslVerification,
            false, paused ? "temporarily_disabled" : "executable", paused ? ApiJson.Time(h.DisabledUntil) : null, [], ApiJson.Time(h.CreatedAt),
            false, "", [.. WebhookHeaders.Custom(h.CustomHeaders).Keys.Select(k => new WebhookHeaderView(k))]);
    }

    public static WebhookEventView Event(WebhookRecord hook, WebhookDeliveryRecord d, string instance) => new(
        d.Id,
        hook.Url,
        d.HookTrigger.Replace("_events", "_hooks", StringComparison.Ordinal),
        new Dictionary<string, string>
        {
            ["Content-Type"] = "application/json",
            ["User-Agent"] = WebhookSender.UserAgent,
            ["X-Gitlab-Event"] = d.Event,
            ["X-Gitlab-Event-UUID"] = d.Uuid,
            ["X-Gitlab-Instance"] = instance,
            ["X-Gitlab-Webhook-UUID"] = WebhookSender.HookUuid(instance, hook.Id).ToString(),
            ["X-Gitlab-Token"] = hook.SealedToken is null ? "" : "[REDACTED]",
        },
        System.Text.Json.JsonSerializer.Deserialize<System.Text.Json.JsonElement>(d.Payload),
        d.ResponseExcerpt,
        d.ExecutionDuration,
        d.ResponseStatus is { } status ? status.ToString(System.Globalization.CultureInfo.InvariantCulture) : d.Error ?? (d.Attempts == 0 ? "pending" : "internal error"),
        d.State,
        d.Attempts,
        d.State == WebhookDeliveryStates.Pending ? ApiJson.Time(d.NextAttemptAt) : null,
        d.Error,
        ApiJson.Time(d.CreatedAt),
        ApiJson.Time(d.UpdatedAt));
}

using Relais.Server.Storage;

namespace Relais.Server.Webhooks;

/// <summary>How a test delivery went: sent and answered 2xx, or the HTTP status to answer with and GitLab's message.</summary>
public sealed record WebhookTestResult(bool Succeeded, int Status, string Message);

/// <summary>
/// Sends a hook a sample event now (<c>POST …/hooks/:hook_id/test/:trigger</c> and the webhook page's Test button):
/// the sample from <see cref="WebhookSamples"/>, stored as a delivery (so it is listed) and sent once, not retried.
/// </summary>
internal sealed class WebhookTester(IWebhookStore store, WebhookSamples samples, WebhookSender sender, TimeProvider time)
{
    public async Task<WebhookTestResult> TestAsync(ProjectRecord project, WebhookRecord hook, string trigger, CancellationToken cancel)
    {
        if (!WebhookTriggers.Testable.Contains(trigger, StringComparer.Ordinal))
        {
            return new(false, 400, "400 Bad request - trigger does not have a valid value");
        }

        var (payload, missing) = await samples.BuildAsync(project, trigger, cancel);
        if (payload is null)
        {
            return new(false, 422, missing!);
        }

        var body = System.Text.Json.JsonSerializer.Serialize(payload);
        var delivery = await store.EnqueueAsync(WebhookEvents.Delivery(hook, trigger, body, WebhookDeliveryStates.Sending), time.GetUtcNow(), CancellationToken.None);
        var attempt = await sender.SendNowAsync(hook, delivery, CancellationToken.None);
        return attempt.Succeeded ? new(true, 201, "201 Created")
            : new(false, 422, attempt.Status is { } status ? $"Hook executed successfully but returned HTTP {status}" : attempt.Error ?? "Hook execution failed");
    }
}

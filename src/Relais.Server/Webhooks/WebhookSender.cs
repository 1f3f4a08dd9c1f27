using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Relais.Server.Security;
using Relais.Server.Storage;

namespace Relais.Server.Webhooks;

/// <summary>
/// Sends queued deliveries, off the request path: a background loop claims due ones (<see cref="IWebhookStore.ClaimDueAsync"/>,
/// so with several coordinators each attempt has one sender), posts each with GitLab's headers through
/// <see cref="WebhookHttp"/> and records the outcome: delivered on a 2xx, otherwise tried again later
/// (<see cref="WebhookBackoff"/>) until it fails for good. It wakes when told (<see cref="Wake"/>) and every
/// <see cref="WebhookOptions.PollInterval"/>. Pending deliveries survive a restart: they are rows.
/// </summary>
public sealed class WebhookSender : IAsyncDisposable
{
    /// <summary>What <c>User-Agent</c> says: GitLab's product name (receivers check it) and ours.</summary>
    public const string UserAgent = "GitLab/17.0.0 (Relais)";

    private const int ExcerptLength = 2048;
    private readonly IWebhookStore _store;
    private readonly WebhookHttp _http;
    private readonly WebhookOptions _options;
    private readonly SecretBox _secrets;
    private readonly TimeProvider _time;
    private readonly string _instance;
    private readonly TextWriter _output;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public WebhookSender(IWebhookStore store, WebhookOptions options, SecretBox secrets, TimeProvider time, string instance, TextWriter output)
    {
        (_store, _options, _secrets, _time, _instance, _output) = (store, options, secrets, time, instance, output);
        _http = new WebhookHttp(options.AllowLocal, options.Timeout);
    }

    /// <summary>The <c>X-Gitlab-Instance</c> value: this server's external URL.</summary>
    public string Instance => _instance;

    /// <summary>Starts the loop (once).</summary>
    public void Start() => _loop ??= Task.Run(() => RunAsync(_stop.Token));

    /// <summary>Asks the loop to look for due deliveries now.</summary>
    public void Wake() => _wake.Writer.TryWrite(true);

    /// <summary>Sends a delivery stored in state <see cref="WebhookDeliveryStates.Sending"/> now, once, and records the outcome (a test hook).</summary>
    public async Task<WebhookAttempt> SendNowAsync(WebhookRecord hook, WebhookDeliveryRecord delivery, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(hook);
        ArgumentNullException.ThrowIfNull(delivery);
        var attempt = await PostAsync(hook, delivery, cancel);
        await RecordAsync(hook, delivery, attempt, retry: false);
        return attempt;
    }

    /// <summary>The <c>X-Gitlab-Webhook-UUID</c> of a hook: stable, derived from this instance and the hook's id.</summary>
    public static Guid HookUuid(string instance, long hookId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{instance}/hooks/{hookId}"));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50); // a name-based UUID (version 5 layout)
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is { } loop)
        {
            try
            {
                await loop;
            }
            catch (OperationCanceledException)
            {
                // Stopped.
            }
        }

        _http.Dispose();
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var sent = 0;
            try
            {
                var lease = _options.Timeout + _options.Timeout + TimeSpan.FromSeconds(5);
                foreach (var delivery in await _store.ClaimDueAsync(_time.GetUtcNow(), lease, 10, stop))
                {
                    sent++;
                    await SendClaimedAsync(delivery, stop);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                _output.WriteLine($"relais: webhook deliveries: {e.GetType().Name}: {Relais.Protocol.LogText.Safe(e.Message)}");
            }

            if (sent == 0)
            {
                await WaitAsync(stop);
            }
        }
    }

    private async Task WaitAsync(CancellationToken stop)
    {
        using var both = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var delay = Task.Delay(_options.PollInterval, _time, both.Token);
        var woken = _wake.Reader.WaitToReadAsync(both.Token).AsTask();
        await Task.WhenAny(delay, woken);
        await both.CancelAsync();
        _wake.Reader.TryRead(out _);
    }

    private async Task SendClaimedAsync(WebhookDeliveryRecord delivery, CancellationToken stop)
    {
        if (await _store.GetAsync(delivery.ProjectId, delivery.HookId, stop) is not { } hook)
        {
            return; // deleted meanwhile, with its deliveries
        }

        var attempt = await PostAsync(hook, delivery, stop);
        await RecordAsync(hook, delivery, attempt, retry: true);
    }

    private async Task RecordAsync(WebhookRecord hook, WebhookDeliveryRecord delivery, WebhookAttempt attempt, bool retry)
    {
        var now = _time.GetUtcNow();
        var next = attempt.Succeeded || !retry ? null : WebhookBackoff.NextAttempt(_options, delivery.Attempts + 1, now);
        var state = attempt.Succeeded ? WebhookDeliveryStates.Delivered : next is null ? WebhookDeliveryStates.Failed : WebhookDeliveryStates.Pending;
        var pause = attempt.Succeeded ? null : WebhookBackoff.PauseUntil(_options, hook.RecentFailures + 1, now);
        await _store.RecordAttemptAsync(delivery, attempt, state, next, pause, now, CancellationToken.None);
    }

    private async Task<WebhookAttempt> PostAsync(WebhookRecord hook, WebhookDeliveryRecord delivery, CancellationToken cancel)
    {
        var started = _time.GetTimestamp();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, hook.Url)
            {
                Content = new StringContent(delivery.Payload, Encoding.UTF8, "application/json"),
            };
            foreach (var (name, value) in WebhookHeaders.Custom(hook.CustomHeaders))
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
            request.Headers.Add("X-Gitlab-Event", delivery.Event);
            request.Headers.Add("X-Gitlab-Event-UUID", delivery.Uuid);
            request.Headers.Add("X-Gitlab-Webhook-UUID", HookUuid(_instance, hook.Id).ToString());
            request.Headers.Add("X-Gitlab-Instance", _instance);
            if (hook.SealedToken is { } sealedToken)
            {
                request.Headers.TryAddWithoutValidation("X-Gitlab-Token", _secrets.Unprotect(sealedToken));
            }

            using var response = await _http.For(hook.EnableSslVerification).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel);
            var excerpt = await ExcerptAsync(response, cancel);
            return new WebhookAttempt((int)response.StatusCode, excerpt, null, _time.GetElapsedTime(started));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or WebhookRefusedException or InvalidOperationException && !cancel.IsCancellationRequested)
        {
            return new WebhookAttempt(null, null, Reason(e), _time.GetElapsedTime(started));
        }
    }

    private static async Task<string> ExcerptAsync(HttpResponseMessage response, CancellationToken cancel)
    {
        await using var body = await response.Content.ReadAsStreamAsync(cancel);
        var buffer = new byte[ExcerptLength];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await body.ReadAsync(buffer.AsMemory(read), cancel)) > 0)
        {
            read += n;
        }

        return Encoding.UTF8.GetString(buffer, 0, read);
    }

    /// <summary>A short reason for a failure without a response; a refused address says so in GitLab's words.</summary>
    private static string Reason(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is WebhookRefusedException refused)
            {
                return refused.Message;
            }
        }

        return e is TaskCanceledException ? "Request timed out" : e.Message;
    }
}

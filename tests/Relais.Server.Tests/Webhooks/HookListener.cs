using System.Net;
using System.Text.Json;
using System.Threading.Channels;

namespace Relais.Server.Tests.Webhooks;

/// <summary>One request a <see cref="HookListener"/> received: its headers and its body as JSON.</summary>
internal sealed record ReceivedHook(IReadOnlyDictionary<string, string> Headers, JsonElement Body, DateTimeOffset At)
{
    public string Event => Headers.GetValueOrDefault("X-Gitlab-Event") ?? "";
}

/// <summary>
/// A real HTTP receiver on 127.0.0.1 (<see cref="HttpListener"/>) that records every webhook posted to it and answers
/// with the status <see cref="Answer"/> picks (200 by default).
/// </summary>
internal sealed class HookListener : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Channel<ReceivedHook> _received = Channel.CreateUnbounded<ReceivedHook>();
    private readonly Task _loop;

    /// <summary>Listens on <paramref name="port"/> (default: a free one).</summary>
    public HookListener(int? port = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            Port = port ?? FreePorts.Next();
            _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
            try
            {
                _listener.Start();
                break;
            }
            catch (HttpListenerException) when (port is null && attempt < 5)
            {
                // Another process took the free port between picking and binding (seen once in a full run): pick again.
                _listener.Prefixes.Clear();
            }
        }

        _loop = Task.Run(RunAsync);
    }

    public int Port { get; private set; }

    public string Url => $"http://127.0.0.1:{Port}/hook";

    /// <summary>The status to answer the n-th request (from 1) with.</summary>
    public Func<int, int> Answer { get; set; } = _ => 200;

    public int Count { get; private set; }

    /// <summary>The next request received, within <paramref name="timeout"/> (default 15 s).</summary>
    public async Task<ReceivedHook> NextAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30)); // generous: a loaded 2-core machine delays the sender
        return await _received.Reader.ReadAsync(cancel.Token);
    }

    /// <summary>Reads requests until one matches <paramref name="match"/>; the ones before it are returned too.</summary>
    public async Task<(ReceivedHook Hook, List<ReceivedHook> Before)> UntilAsync(Func<ReceivedHook, bool> match, TimeSpan? timeout = null)
    {
        var before = new List<ReceivedHook>();
        while (true)
        {
            var hook = await NextAsync(timeout);
            if (match(hook))
            {
                return (hook, before);
            }

            before.Add(hook);
        }
    }

    /// <summary>Whether nothing arrives within <paramref name="wait"/>.</summary>
    public async Task<bool> QuietForAsync(TimeSpan wait)
    {
        using var cancel = new CancellationTokenSource(wait);
        try
        {
            await _received.Reader.WaitToReadAsync(cancel.Token);
            return false;
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        try
        {
            _listener.Close();
        }
        catch (HttpListenerException)
        {
            // .NET's managed listener may re-bind the port while removing its prefix and fail when another test took
            // it meanwhile ("Address already in use"): the listener is stopped all the same.
        }
        try
        {
            await _loop;
        }
        catch (ObjectDisposedException)
        {
            // Closed.
        }
    }

    private async Task RunAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream);
            var text = await reader.ReadToEndAsync();
            var headers = context.Request.Headers.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => context.Request.Headers[k]!, StringComparer.OrdinalIgnoreCase);
            Count++;
            context.Response.StatusCode = Answer(Count);
            context.Response.Close();
            _received.Writer.TryWrite(new ReceivedHook(headers, JsonDocument.Parse(text).RootElement.Clone(), DateTimeOffset.UtcNow));
        }
    }
}

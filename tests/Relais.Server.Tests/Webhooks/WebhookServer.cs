using System.Net;
using System.Text.Json;
using Relais.Server.Tests.Support;
using Relais.Server.Webhooks;

namespace Relais.Server.Tests.Webhooks;

/// <summary>A <see cref="TestServer"/> with webhook options for tests (short retries), and the hook API calls they make.</summary>
internal static class WebhookServer
{
    public static Task<TestServer> StartAsync(string store, bool allowLocal, Func<WebhookOptions, WebhookOptions>? tune = null)
    {
        var options = new WebhookOptions { AllowLocal = allowLocal, RetryBase = TimeSpan.FromMilliseconds(300), PollInterval = TimeSpan.FromMilliseconds(100) };
        return TestServer.StartAsync(store, longPoll: TimeSpan.FromMilliseconds(200), configure: o => o with { Webhooks = tune is null ? options : tune(options) });
    }

    /// <summary>Calls the REST API as root; returns the status and the body as JSON (default when empty).</summary>
    public static async Task<(HttpStatusCode Status, JsonElement Json)> CallAsync(TestServer server, HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, "api/v4/" + path);
        request.Headers.Add("PRIVATE-TOKEN", TestServer.RootToken);
        if (json is not null)
        {
            request.Content = TestServer.Json(json);
        }

        using var response = await server.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>Adds a hook to root/demo (made if missing) through the API and returns its id.</summary>
    public static async Task<long> AddHookAsync(TestServer server, string json)
    {
        await server.Host.Stores.Projects.EnsureProjectAsync("root/demo", "main", DateTimeOffset.UtcNow);
        var (status, body) = await CallAsync(server, HttpMethod.Post, "projects/root%2Fdemo/hooks", json);
        Assert.True(status == HttpStatusCode.Created, body.ToString());
        return body.GetProperty("id").GetInt64();
    }

    /// <summary>The hook's recent deliveries (<c>GET …/hooks/:id/events</c>), newest first.</summary>
    public static async Task<JsonElement[]> EventsAsync(TestServer server, long hook)
    {
        var (status, body) = await CallAsync(server, HttpMethod.Get, $"projects/root%2Fdemo/hooks/{hook}/events");
        Assert.Equal(HttpStatusCode.OK, status);
        return [.. body.EnumerateArray()];
    }

    /// <summary>Polls the hook's deliveries until one satisfies <paramref name="match"/> (15 s at most).</summary>
    public static async Task<JsonElement> EventWhereAsync(TestServer server, long hook, Func<JsonElement, bool> match)
    {
        for (var i = 0; i < 150; i++)
        {
            if ((await EventsAsync(server, hook)).FirstOrDefault(match) is { ValueKind: JsonValueKind.Object } found)
            {
                return found;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("no such delivery: " + string.Join("\n", (await EventsAsync(server, hook)).Select(e => e.ToString())));
    }
}

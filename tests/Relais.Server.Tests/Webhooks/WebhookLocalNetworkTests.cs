using System.Net;
using Relais.Server.Storage;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Webhooks;

/// <summary>Without <c>--allow-local-webhooks</c>, hooks cannot reach the local network: refused when saved and when sent.</summary>
public sealed class WebhookLocalNetworkTests
{
    [Theory]
    [InlineData("http://127.0.0.1:9/hook")]
    [InlineData("http://localhost:9/hook")]
    [InlineData("http://[::1]:9/hook")]
    [InlineData("http://10.1.2.3/hook")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://172.17.0.1/hook")]
    [InlineData("ftp://example.com/hook")]
    [InlineData("not a url")]
    public async Task A_hook_to_the_local_network_or_not_http_is_refused_with_gitlabs_422(string url)
    {
        await using var server = await WebhookServer.StartAsync(Stores.Sqlite, allowLocal: false);
        await server.Host.Stores.Projects.EnsureProjectAsync("root/demo", "main", DateTimeOffset.UtcNow);

        var (status, body) = await WebhookServer.CallAsync(server, HttpMethod.Post, "projects/root%2Fdemo/hooks", $$"""{"url":"{{url}}","pipeline_events":true}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("""{"message":"Invalid url given"}""", body.GetRawText());
        Assert.Empty(await server.Host.Stores.Webhooks.ListAsync(1));
    }

    [Fact]
    public async Task A_stored_hook_whose_host_resolves_to_loopback_is_refused_when_sent_and_the_delivery_says_so()
    {
        await using var listener = new HookListener();
        await using var server = await WebhookServer.StartAsync(Stores.Sqlite, allowLocal: false);
        var project = await server.Host.Stores.Projects.EnsureProjectAsync("root/demo", "main", DateTimeOffset.UtcNow);
        // As if saved when the name resolved elsewhere (DNS rebinding): the check at connect time still refuses it.
        var hook = await server.Host.Stores.Webhooks.AddAsync(
            new WebhookRecord { ProjectId = project.Id, Url = $"http://localhost:{listener.Port}/hook", Events = "pipeline_events" }, DateTimeOffset.UtcNow);

        await server.CreatePipelineAsync("build:\n  script: [echo hi]\n");

        var refused = await WebhookServer.EventWhereAsync(server, hook.Id, e => e.GetProperty("attempts").GetInt32() >= 1);
        Assert.Equal("Requests to the local network are not allowed", refused.GetProperty("error").GetString());
        Assert.Equal("Requests to the local network are not allowed", refused.GetProperty("response_status").GetString());
        Assert.Equal(0, listener.Count);
    }

    [Fact]
    public async Task With_the_option_a_local_receiver_is_accepted()
    {
        await using var server = await WebhookServer.StartAsync(Stores.Sqlite, allowLocal: true);
        var id = await WebhookServer.AddHookAsync(server, """{"url":"http://localhost:9/hook"}""");
        Assert.True(id > 0);
    }
}

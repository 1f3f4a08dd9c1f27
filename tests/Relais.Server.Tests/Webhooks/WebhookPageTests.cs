using System.Net;
using System.Text.RegularExpressions;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Webhooks;

/// <summary>The webhooks page: a Maintainer adds a hook, tests it, sees the delivery with its status and resends it.</summary>
public sealed partial class WebhookPageTests
{
    [Fact]
    public async Task A_maintainer_adds_tests_and_resends_a_hook_from_the_page_and_a_stranger_sees_nothing()
    {
        await using var listener = new HookListener();
        await using var server = await WebhookServer.StartAsync(Stores.Sqlite, allowLocal: true);
        await server.CreatePipelineAsync("build:\n  script: [echo hi]\n");
        using var root = await SignedInAsync(server, TestServer.RootToken);

        var page = await root.GetStringAsync("root/demo/-/hooks");
        Assert.Contains("Add a webhook", page, StringComparison.Ordinal);
        using var added = await root.PostAsync("root/demo/-/hooks", Form(page, ("url", listener.Url), ("name", "ci"), ("token", "s3cret"), ("pipeline_events", "true"), ("enable_ssl_verification", "true")));
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        var hook = Assert.Single(await server.Host.Stores.Webhooks.ListAsync(1));
        Assert.Equal(("ci", "pipeline_events"), (hook.Name, hook.Events)); // push events unticked
        Assert.NotNull(hook.SealedToken);

        page = await root.GetStringAsync("root/demo/-/hooks");
        using var tested = await root.PostAsync($"root/demo/-/hooks/{hook.Id}/test", Form(page, ("trigger", "pipeline_events")));
        Assert.EndsWith("tested=1", tested.Headers.Location!.ToString(), StringComparison.Ordinal);
        var sample = await listener.NextAsync();
        Assert.Equal(("Pipeline Hook", "s3cret"), (sample.Event, sample.Headers["X-Gitlab-Token"]));

        page = await root.GetStringAsync("root/demo/-/hooks");
        Assert.Contains("<td data-label=\"Status\">200</td>", page, StringComparison.Ordinal);
        var delivery = Assert.Single(await server.Host.Stores.Webhooks.ListDeliveriesAsync(hook.Id, 10));
        using var resent = await root.PostAsync($"root/demo/-/hooks/{hook.Id}/events/{delivery.Id}/resend", Form(page));
        Assert.Equal(HttpStatusCode.Redirect, resent.StatusCode);
        Assert.Equal(sample.Headers["X-Gitlab-Event-UUID"], (await listener.NextAsync()).Headers["X-Gitlab-Event-UUID"]);

        page = await root.GetStringAsync("root/demo/-/hooks");
        using var deleted = await root.PostAsync($"root/demo/-/hooks/{hook.Id}/delete", Form(page));
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.Empty(await server.Host.Stores.Webhooks.ListAsync(1));

        var alice = await server.Host.Stores.Identity.AddUserAsync("alice", false, DateTimeOffset.UtcNow);
        await server.Host.Stores.Identity.AddPersonalAccessTokenAsync(alice!.Id, "web", Relais.Server.Auth.Tokens.Hash("glpat-alice-web"), DateTimeOffset.UtcNow);
        using var stranger = await SignedInAsync(server, "glpat-alice-web");
        using var hidden = await stranger.GetAsync("root/demo/-/hooks");
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
    }

    private static FormUrlEncodedContent Form(string page, params (string Key, string Value)[] fields)
    {
        var all = new Dictionary<string, string> { ["authenticity_token"] = CsrfToken().Match(page).Groups[1].Value };
        foreach (var (key, value) in fields)
        {
            all[key] = value;
        }

        return new FormUrlEncodedContent(all);
    }

    private static async Task<HttpClient> SignedInAsync(TestServer server, string token)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
        {
            BaseAddress = new Uri(server.Host.ExternalUrl + "/"),
        };
        var form = await client.GetStringAsync("users/sign_in");
        using var signIn = await client.PostAsync("users/sign_in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["authenticity_token"] = CsrfToken().Match(form).Groups[1].Value, ["personal_access_token"] = token,
        }));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        return client;
    }

    [GeneratedRegex("name=\"authenticity_token\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfToken();
}

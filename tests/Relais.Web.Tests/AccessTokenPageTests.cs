using System.Net;
using Relais.Web.Tests.Support;

namespace Relais.Web.Tests;

/// <summary>The access tokens page over HTTP: its tabs, anti-forgery, validation, and another user's token.</summary>
public sealed class AccessTokenPageTests : IAsyncLifetime
{
    private const string Page = "-/user_settings/personal_access_tokens";

    private WebServer _server = null!;

    public async Task InitializeAsync() => _server = await WebServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task The_settings_tabs_reach_the_password_and_token_pages_and_a_forged_or_wrong_form_makes_no_token()
    {
        using var client = _server.NewClient(out _);
        using var signIn = await WebServer.SignInAsync(client, "root", WebServer.RootPassword);
        var password = await client.GetStringAsync("-/user_settings/password/edit");
        Assert.Contains($"href=\"/{Page}\">Access tokens</a>", password);
        var page = await client.GetStringAsync(Page);
        Assert.Contains("href=\"/-/user_settings/password/edit\">Password</a>", page);
        var csrf = WebServer.HiddenToken(page);
        var before = (await _server.Host.Stores.Identity.ListPersonalAccessTokensAsync(null)).Count;

        using var forged = await client.PostAsync(Page, new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = "x", ["scopes"] = "api" }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, forged.StatusCode);
        using var noScope = await client.PostAsync(Page, new FormUrlEncodedContent(new Dictionary<string, string> { ["authenticity_token"] = csrf, ["name"] = "x" }));
        Assert.Equal(HttpStatusCode.BadRequest, noScope.StatusCode);
        Assert.Contains("The scopes is missing.", await noScope.Content.ReadAsStringAsync());
        using var past = await client.PostAsync(Page, new FormUrlEncodedContent(new Dictionary<string, string> { ["authenticity_token"] = csrf, ["name"] = "x", ["scopes"] = "api", ["expires_at"] = "2001-01-01" }));
        Assert.Equal(HttpStatusCode.BadRequest, past.StatusCode);
        Assert.Equal(before, (await _server.Host.Stores.Identity.ListPersonalAccessTokensAsync(null)).Count);

        // Alice's token is not root's to revoke, even for an administrator on this page.
        var alice = (await _server.Host.Stores.Identity.ListPersonalAccessTokensAsync(null)).Single(t => t.UserId != 1);
        using var other = await client.PostAsync($"{Page}/{alice.Id}/revoke", new FormUrlEncodedContent(new Dictionary<string, string> { ["authenticity_token"] = csrf }));
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.False((await _server.Host.Stores.Identity.GetPersonalAccessTokenAsync(alice.Id))!.Revoked);
    }
}

using System.Net;
using Relais.Web.Tests.Support;

namespace Relais.Web.Tests;

/// <summary>The protected tags section of a project's settings over real HTTP: listed, added (escaped), refused twice, removed.</summary>
public sealed class ProtectedTagSettingsTests : IAsyncLifetime
{
    private WebServer _server = null!;

    public async Task InitializeAsync() => _server = await WebServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Protected_tags_are_listed_added_and_removed_in_the_settings()
    {
        var project = await _server.Host.Stores.Projects.EnsureProjectAsync("root/demo", "main", DateTimeOffset.UtcNow);
        using var root = _server.NewClient(out _);
        (await WebServer.SignInAsync(root, "root", WebServer.RootPassword)).Dispose();
        var edit = await root.GetStringAsync("root/demo/edit");
        Assert.Contains("No protected tags.", edit);
        var token = WebServer.HiddenToken(edit);

        using var protect = await root.PostAsync("root/demo/-/protected_tags", Form(token, ("tag", "v*<b>"), ("create_access_level", "0")));
        Assert.Equal(HttpStatusCode.Redirect, protect.StatusCode);
        var tag = Assert.Single(await _server.Host.Stores.Projects.ListProtectedTagsAsync(project.Id));
        Assert.Equal(("v*<b>", 0), (tag.Name, tag.CreateAccessLevel));
        Assert.Contains("<code>v*&lt;b&gt;</code></td><td data-label=\"Allowed to create\">No one</td>", await root.GetStringAsync("root/demo/edit"));

        using var again = await root.PostAsync("root/demo/-/protected_tags", Form(token, ("tag", "v*<b>"), ("create_access_level", "40")));
        Assert.Contains("error=tag_exists", again.Headers.Location!.OriginalString);
        Assert.Contains("That tag is protected already.", await root.GetStringAsync(again.Headers.Location!.OriginalString.TrimStart('/')));
        using var bad = await root.PostAsync("root/demo/-/protected_tags", Form(token, ("tag", "x"), ("create_access_level", "7")));
        Assert.Contains("error=tag", bad.Headers.Location!.OriginalString);

        using var unprotect = await root.PostAsync("root/demo/-/protected_tags/unprotect", Form(token, ("tag", "v*<b>")));
        Assert.Equal(HttpStatusCode.Redirect, unprotect.StatusCode);
        Assert.Empty(await _server.Host.Stores.Projects.ListProtectedTagsAsync(project.Id));

        using var alice = _server.NewClient(out _);
        (await WebServer.SignInAsync(alice, null, WebServer.AliceToken, withToken: true)).Dispose();
        using var forbidden = await alice.PostAsync("root/demo/-/protected_tags", Form(WebServer.HiddenToken(await alice.GetStringAsync("")), ("tag", "x"), ("create_access_level", "40")));
        Assert.Equal(HttpStatusCode.NotFound, forbidden.StatusCode);
    }

    private static FormUrlEncodedContent Form(string token, params (string Key, string Value)[] fields)
    {
        var all = new Dictionary<string, string> { ["authenticity_token"] = token };
        foreach (var (k, v) in fields)
        {
            all[k] = v;
        }

        return new FormUrlEncodedContent(all);
    }
}

using System.Net;
using Relais.Web.Tests.Support;

namespace Relais.Web.Tests;

/// <summary>The admin users page over real HTTP: for administrators only, forms need the anti-forgery token, names are escaped, the API's rules hold.</summary>
public sealed class AdminUsersPageTests : IAsyncLifetime
{
    private WebServer _server = null!;

    public async Task InitializeAsync() => _server = await WebServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Only_administrators_see_the_page_and_a_forged_form_changes_nothing()
    {
        using var alice = _server.NewClient(out _);
        (await WebServer.SignInAsync(alice, null, WebServer.AliceToken, withToken: true)).Dispose();
        Assert.Equal(HttpStatusCode.NotFound, (await alice.GetAsync("admin/users")).StatusCode);
        using var anonymous = _server.NewClient(out _);
        Assert.Equal(HttpStatusCode.Redirect, (await anonymous.GetAsync("admin/users")).StatusCode);

        using var root = _server.NewClient(out _);
        (await WebServer.SignInAsync(root, "root", WebServer.RootPassword)).Dispose();
        var aliceId = (await _server.Host.Stores.Identity.ListUsersAsync(new())).Single(u => u.Username == "alice").Id;
        using var forged = await root.PostAsync($"admin/users/{aliceId}/delete", new FormUrlEncodedContent(new Dictionary<string, string>()));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, forged.StatusCode);
        Assert.NotNull(await _server.Host.Stores.Identity.GetUserAsync(aliceId));
    }

    [Fact]
    public async Task The_page_keeps_the_users_api_rules_and_escapes_what_users_typed()
    {
        using var root = _server.NewClient(out _);
        (await WebServer.SignInAsync(root, "root", WebServer.RootPassword)).Dispose();
        var page = await root.GetStringAsync("admin/users");
        var token = WebServer.HiddenToken(page);
        var rootId = (await _server.Host.Stores.Identity.ListUsersAsync(new())).Single(u => u.Username == "root").Id;

        using var self = await root.PostAsync($"admin/users/{rootId}/delete", Form(token));
        Assert.Equal("/admin/users?refused=self", self.Headers.Location?.OriginalString);
        Assert.Contains("You cannot block or delete yourself.", await root.GetStringAsync("admin/users?refused=self"));

        using var bad = await root.PostAsync("admin/users", Form(token, ("username", "eve"), ("name", "<script>alert(1)</script>"), ("email", "not an email")));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var html = await bad.Content.ReadAsStringAsync();
        Assert.Contains("The email is invalid.", html);
        Assert.DoesNotContain("<script>alert(1)</script>", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);

        using var weak = await root.PostAsync("admin/users", Form(token, ("username", "eve"), ("password", "short")));
        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        Assert.DoesNotContain(await _server.Host.Stores.Identity.ListUsersAsync(new()), u => u.Username == "eve");

        await _server.Host.Stores.Projects.EnsureProjectAsync("alice/demo", "main", DateTimeOffset.UtcNow);
        var aliceId = (await _server.Host.Stores.Identity.ListUsersAsync(new())).Single(u => u.Username == "alice").Id;
        using var owns = await root.PostAsync($"admin/users/{aliceId}/delete", Form(token));
        Assert.Equal("/admin/users?refused=ownsprojects", owns.Headers.Location?.OriginalString);
        Assert.NotNull(await _server.Host.Stores.Identity.GetUserAsync(aliceId));
        var audit = await root.GetStringAsync("admin/users?refused=ownsprojects");
        Assert.Contains("That user owns projects", audit);
    }

    [Fact]
    public async Task The_users_api_sets_a_password_on_create_with_the_same_rules()
    {
        using var api = new HttpClient { BaseAddress = new Uri(_server.Url + "/") };
        api.DefaultRequestHeaders.Add("PRIVATE-TOKEN", WebServer.RootToken);
        using var weak = await api.PostAsync("api/v4/users", new StringContent("""{"username":"fox","password":"short"}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        Assert.Contains("password", await weak.Content.ReadAsStringAsync());
        using var created = await api.PostAsync("api/v4/users", new StringContent("""{"username":"fox","password":"fox's long password"}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        using var fox = _server.NewClient(out _);
        using var signIn = await WebServer.SignInAsync(fox, "fox", "fox's long password");
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
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

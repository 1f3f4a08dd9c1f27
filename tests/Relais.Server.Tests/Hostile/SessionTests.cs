using System.Net;
using System.Text.RegularExpressions;
using Relais.Server.Tests.Security;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Hostile;

/// <summary>
/// Web sessions that end when they should: with the token that opened them (revoked), on the user's word (the
/// sessions page and <c>/user/relais_sessions</c>), and when the password changes (UI, own API, administrator).
/// </summary>
public sealed partial class SessionTests
{
    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task A_session_opened_with_a_token_outlives_its_revocation(string store)
    {
        await using var server = await SessionClients.StartAsync(store);
        var (id, token) = await SessionClients.TokenAsync(server, 1, "api");
        using var browser = await SessionClients.SignedInWithTokenAsync(server, token);
        using var byPassword = await SessionClients.SignedInAsync(server, "root", SessionClients.RootPassword);
        Assert.True(await SessionClients.IsSignedInAsync(browser));

        Assert.Equal(HttpStatusCode.NoContent, (await SecurityFixture.SendAsync(server.Http, HttpMethod.Delete, $"api/v4/personal_access_tokens/{id}", TestServer.RootToken)).Status);
        Assert.False(await SessionClients.IsSignedInAsync(browser));
        Assert.True(await SessionClients.IsSignedInAsync(byPassword)); // other sessions are not the token's
    }

    [Fact]
    public async Task A_read_api_token_tries_to_open_a_web_session()
    {
        await using var server = await SessionClients.StartAsync();
        var (_, token) = await SessionClients.TokenAsync(server, 1, "read_api");
        using var browser = SessionClients.New(server);
        using var response = await SessionClients.SignInAsync(browser, new() { ["personal_access_token"] = token });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(await SessionClients.IsSignedInAsync(browser));

        // In a header it may look, not act.
        using var look = new HttpRequestMessage(HttpMethod.Get, "");
        look.Headers.Add("PRIVATE-TOKEN", token);
        using var looked = await browser.SendAsync(look);
        Assert.Contains("Signed in as", await looked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var act = new HttpRequestMessage(HttpMethod.Post, "users/sign_out");
        act.Headers.Add("PRIVATE-TOKEN", token);
        act.Content = new FormUrlEncodedContent([]);
        using var acted = await browser.SendAsync(act);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, acted.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task A_user_lists_and_ends_their_sessions_over_the_api(string store)
    {
        await using var f = await SecurityFixture.StartAsync(o => o with { RootPassword = SessionClients.RootPassword }, store);
        using var laptop = await SessionClients.SignedInAsync(f.Server, "root", SessionClients.RootPassword, "Laptop/1.0");
        using var phone = await SessionClients.SignedInAsync(f.Server, "root", SessionClients.RootPassword, "Phone/2.0");

        var (status, list) = await f.RestAsync(HttpMethod.Get, "user/relais_sessions", TestServer.RootToken);
        Assert.Equal(HttpStatusCode.OK, status);
        var sessions = list.EnumerateArray().ToList();
        Assert.Equal(["Phone/2.0", "Laptop/1.0"], sessions.Select(s => s.GetProperty("user_agent").GetString()));
        Assert.All(sessions, s => Assert.Equal("127.0.0.1", s.GetProperty("ip_address").GetString()));
        Assert.All(sessions, s => Assert.Equal("password", s.GetProperty("signed_in_with").GetString()));
        Assert.All(sessions, s => Assert.NotNull(s.GetProperty("last_used_at").GetString()));
        var phoneId = sessions[0].GetProperty("id").GetInt64();

        // Alice sees none of root's sessions and cannot end them.
        Assert.Empty((await f.RestAsync(HttpMethod.Get, "user/relais_sessions", f.AliceToken)).Json.EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, (await f.RestAsync(HttpMethod.Delete, $"user/relais_sessions/{phoneId}", f.AliceToken)).Status);
        Assert.True(await SessionClients.IsSignedInAsync(phone));

        var (_, readOnly) = await SessionClients.TokenAsync(f.Server, 1, "read_user");
        Assert.Equal(HttpStatusCode.OK, (await f.RestAsync(HttpMethod.Get, "user/relais_sessions", readOnly)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await f.RestAsync(HttpMethod.Delete, $"user/relais_sessions/{phoneId}", readOnly)).Status);

        Assert.Equal(HttpStatusCode.NoContent, (await f.RestAsync(HttpMethod.Delete, $"user/relais_sessions/{phoneId}", TestServer.RootToken)).Status);
        Assert.False(await SessionClients.IsSignedInAsync(phone));
        Assert.True(await SessionClients.IsSignedInAsync(laptop));
    }

    [Fact]
    public async Task A_user_lists_and_ends_their_sessions_in_the_page()
    {
        await using var server = await SessionClients.StartAsync();
        using var laptop = await SessionClients.SignedInAsync(server, "root", SessionClients.RootPassword, "Laptop/1.0");
        using var stolen = await SessionClients.SignedInAsync(server, "root", SessionClients.RootPassword, "Thief/6.6");

        var page = await laptop.GetStringAsync("-/user_settings/active_sessions");
        Assert.Contains("Laptop/1.0", page, StringComparison.Ordinal);
        Assert.Contains("Thief/6.6", page, StringComparison.Ordinal);
        Assert.Contains("This session", page, StringComparison.Ordinal);
        var thief = SessionRow().Matches(page).Single(m => m.Groups[2].Value.Contains("Thief/6.6", StringComparison.Ordinal)).Groups[1].Value;

        // Without the anti-forgery token nothing ends; another user cannot end it either.
        using (var forged = await laptop.PostAsync($"-/user_settings/active_sessions/{thief}/revoke", new FormUrlEncodedContent([])))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, forged.StatusCode);
        }

        Assert.True(await SessionClients.IsSignedInAsync(stolen));
        using var revoke = await laptop.PostAsync($"-/user_settings/active_sessions/{thief}/revoke", Form(page));
        Assert.Equal(HttpStatusCode.Redirect, revoke.StatusCode);
        Assert.False(await SessionClients.IsSignedInAsync(stolen));
        Assert.True(await SessionClients.IsSignedInAsync(laptop));
        Assert.DoesNotContain("Thief/6.6", await laptop.GetStringAsync("-/user_settings/active_sessions"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Changing_the_password_in_the_form_ends_the_other_sessions()
    {
        await using var server = await SessionClients.StartAsync();
        using var here = await SessionClients.SignedInAsync(server, "root", SessionClients.RootPassword);
        using var elsewhere = await SessionClients.SignedInAsync(server, "root", SessionClients.RootPassword);
        var form = await here.GetStringAsync("-/user_settings/password/edit");

        foreach (var (current, next, confirm) in new[] { ("wrong password", "new password 1", "new password 1"), (SessionClients.RootPassword, "short", "short"), (SessionClients.RootPassword, "new password 1", "new password 2") })
        {
            using var refused = await here.PostAsync("-/user_settings/password", Form(form, ("current_password", current), ("new_password", next), ("password_confirmation", confirm)));
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }

        Assert.True(await SessionClients.IsSignedInAsync(elsewhere));
        using var changed = await here.PostAsync("-/user_settings/password", Form(form, ("current_password", SessionClients.RootPassword), ("new_password", "new password 1"), ("password_confirmation", "new password 1")));
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        Assert.True(await SessionClients.IsSignedInAsync(here));
        Assert.False(await SessionClients.IsSignedInAsync(elsewhere));

        using var old = SessionClients.New(server);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SessionClients.SignInAsync(old, new() { ["username"] = "root", ["password"] = SessionClients.RootPassword })).StatusCode);
        using var fresh = await SessionClients.SignedInAsync(server, "root", "new password 1");
    }

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task An_administrator_sets_a_password_over_the_api_and_the_users_sessions_end(string store)
    {
        await using var f = await SecurityFixture.StartAsync(store: store);
        using var aliceBrowser = await SessionClients.SignedInWithTokenAsync(f.Server, f.AliceToken);

        Assert.Equal(HttpStatusCode.Forbidden, (await f.RestAsync(HttpMethod.Put, $"users/{f.AliceId}", f.AliceToken, """{"password":"alice password"}""")).Status);
        var (tooShort, problem) = await f.RestAsync(HttpMethod.Put, $"users/{f.AliceId}", TestServer.RootToken, """{"password":"1234567"}""");
        Assert.Equal(HttpStatusCode.BadRequest, tooShort);
        Assert.Contains("minimum is 8", problem.GetProperty("message").GetProperty("password")[0].GetString(), StringComparison.Ordinal);
        Assert.True(await SessionClients.IsSignedInAsync(aliceBrowser));

        Assert.Equal(HttpStatusCode.OK, (await f.RestAsync(HttpMethod.Put, $"users/{f.AliceId}", TestServer.RootToken, """{"password":"alice password"}""")).Status);
        Assert.False(await SessionClients.IsSignedInAsync(aliceBrowser));
        using var signedIn = await SessionClients.SignedInAsync(f.Server, "alice", "alice password");

        // Now she has a password, she changes it herself over the API: the current one first.
        Assert.Equal(HttpStatusCode.BadRequest, (await f.RestAsync(HttpMethod.Put, "user/relais_password", f.AliceToken, """{"current_password":"guess","password":"alice password 2"}""")).Status);
        Assert.Equal(HttpStatusCode.OK, (await f.RestAsync(HttpMethod.Put, "user/relais_password", f.AliceToken, """{"current_password":"alice password","password":"alice password 2"}""")).Status);
        Assert.False(await SessionClients.IsSignedInAsync(signedIn));
        using var again = await SessionClients.SignedInAsync(f.Server, "alice", "alice password 2");
    }

    private static FormUrlEncodedContent Form(string page, params (string Key, string Value)[] fields) =>
        new(fields.Select(p => KeyValuePair.Create(p.Key, p.Value)).Append(KeyValuePair.Create("authenticity_token", SessionClients.Csrf(page))));

    [GeneratedRegex("<tr data-session=\"(\\d+)\">(.*?)</tr>", RegexOptions.Singleline)]
    private static partial Regex SessionRow();
}

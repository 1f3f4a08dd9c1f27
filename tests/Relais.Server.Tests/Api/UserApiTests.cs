using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Api;

/// <summary>The users API over HTTP: who may do what, what blocking stops, and token rotation.</summary>
public sealed class UserApiTests
{
    [Fact]
    public async Task A_non_admin_sees_the_basic_shape_and_may_not_change_block_or_delete_users()
    {
        await using var api = await ApiFixture.StartAsync();
        var list = await api.GetAsync("users", ApiFixture.AliceToken);
        Assert.Equal(HttpStatusCode.OK, list.Status);
        var root = list.Json.EnumerateArray().Single(u => u.GetProperty("username").GetString() == "root");
        Assert.False(root.TryGetProperty("email", out _));
        Assert.False(root.TryGetProperty("is_admin", out _));
        var rootId = root.GetProperty("id").GetInt64();

        var me = await api.GetAsync("user", ApiFixture.AliceToken);
        Assert.Equal("alice", me.Json.GetProperty("username").GetString());
        Assert.False(me.Json.GetProperty("is_admin").GetBoolean());
        var aliceId = me.Json.GetProperty("id").GetInt64();

        Assert.Equal(HttpStatusCode.Forbidden, (await api.SendAsync(HttpMethod.Put, $"users/{aliceId}", ApiFixture.AliceToken, """{"admin":true}""")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.PostAsync($"users/{rootId}/block", token: ApiFixture.AliceToken)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.SendAsync(HttpMethod.Delete, $"users/{rootId}", ApiFixture.AliceToken)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.PostAsync("users", """{"username":"mallory","name":"M","email":"m@example.com"}""", ApiFixture.AliceToken)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("users", token: null)).Status);
        Assert.False((await api.GetAsync($"users/{aliceId}")).Json.GetProperty("is_admin").GetBoolean());
    }

    [Fact]
    public async Task The_list_filters_by_username_search_and_state_and_pages()
    {
        await using var api = await ApiFixture.StartAsync();
        var bob = await api.PostAsync("users", """{"username":"bob","name":"Bob Builder","email":"bob@example.com"}""");
        Assert.Equal(HttpStatusCode.Created, bob.Status);
        Assert.Equal("bob@example.com", bob.Json.GetProperty("email").GetString());
        Assert.Equal("Bob Builder", bob.Json.GetProperty("name").GetString());

        Assert.Equal(["bob"], Names(await api.GetAsync("users?username=BOB")));
        Assert.Equal(["bob"], Names(await api.GetAsync("users?search=builder")));
        Assert.Equal(["bob"], Names(await api.GetAsync("users?search=EXAMPLE.com")));
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsync($"users/{bob.Json.GetProperty("id").GetInt64()}/block")).Status);
        Assert.Equal(["bob"], Names(await api.GetAsync("users?blocked=true")));
        Assert.DoesNotContain("bob", Names(await api.GetAsync("users?active=true")));
        var page = await api.GetAsync("users?per_page=2&page=2");
        Assert.Equal("3", page.Response.Headers.GetValues("X-Total").Single());
        Assert.Single(page.Json.EnumerateArray());
        Assert.Equal(HttpStatusCode.BadRequest, (await api.PostAsync("users", """{"username":"eve","email":"not an address"}""")).Status);
    }

    [Fact]
    public async Task A_blocked_user_token_session_and_git_access_stop_working_until_unblocked()
    {
        await using var api = await ApiFixture.StartAsync();
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsync("projects", """{"name":"tools"}""", ApiFixture.AliceToken)).Status);
        Assert.Equal(HttpStatusCode.OK, await GitInfoRefsAsync(api, "alice/tools", "alice", ApiFixture.AliceToken));
        var aliceId = (await api.GetAsync("user", ApiFixture.AliceToken)).Json.GetProperty("id").GetInt64();

        var blocked = await api.PostAsync($"users/{aliceId}/block");
        Assert.Equal(HttpStatusCode.Created, blocked.Status);
        Assert.True(blocked.Json.GetBoolean());
        Assert.Equal("blocked", (await api.GetAsync($"users/{aliceId}")).Json.GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("user", ApiFixture.AliceToken)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, await GitInfoRefsAsync(api, "alice/tools", "alice", ApiFixture.AliceToken));

        Assert.Equal(HttpStatusCode.Created, (await api.PostAsync($"users/{aliceId}/unblock")).Status);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("user", ApiFixture.AliceToken)).Status);
        Assert.Equal(HttpStatusCode.OK, await GitInfoRefsAsync(api, "alice/tools", "alice", ApiFixture.AliceToken));
    }

    [Fact]
    public async Task A_blocked_user_cannot_sign_in_with_a_password_and_their_web_session_ends()
    {
        await using var api = await ApiFixture.StartAsync();
        var aliceId = (await api.GetAsync("user", ApiFixture.AliceToken)).Json.GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Put, $"users/{aliceId}", json: """{"password":"alice's long password"}""")).Status);
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = new Uri(api.Server.Host.ExternalUrl + "/") };
        Assert.Equal(HttpStatusCode.Redirect, await SignInAsync(browser, "alice's long password"));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("-/user_settings/password/edit")).StatusCode);

        Assert.Equal(HttpStatusCode.Created, (await api.PostAsync($"users/{aliceId}/block")).Status);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("-/user_settings/password/edit")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await SignInAsync(browser, "alice's long password"));

        Assert.Equal(HttpStatusCode.Created, (await api.PostAsync($"users/{aliceId}/unblock")).Status);
        Assert.Equal(HttpStatusCode.Redirect, await SignInAsync(browser, "alice's long password"));
    }

    [Fact]
    public async Task Deleting_a_user_who_owns_projects_is_refused_and_oneself_never()
    {
        await using var api = await ApiFixture.StartAsync();
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsync("projects", """{"name":"tools"}""", ApiFixture.AliceToken)).Status);
        var aliceId = (await api.GetAsync("user", ApiFixture.AliceToken)).Json.GetProperty("id").GetInt64();
        var rootId = (await api.GetAsync("user")).Json.GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.Conflict, (await api.SendAsync(HttpMethod.Delete, $"users/{aliceId}")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.SendAsync(HttpMethod.Delete, $"users/{rootId}")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.PostAsync($"users/{rootId}/block")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.SendAsync(HttpMethod.Put, $"users/{rootId}", json: """{"admin":false}""")).Status);
        Assert.True((await api.GetAsync("user")).Json.GetProperty("is_admin").GetBoolean());

        var bob = (await api.PostAsync("users", """{"username":"bob"}""")).Json.GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.NoContent, (await api.SendAsync(HttpMethod.Delete, $"users/{bob}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"users/{bob}")).Status);
    }

    [Fact]
    public async Task Rotating_a_token_revokes_the_old_one_and_others_tokens_stay_hidden()
    {
        await using var api = await ApiFixture.StartAsync();
        var own = await api.GetAsync("personal_access_tokens", ApiFixture.AliceToken);
        var aliceTokenId = own.Json.EnumerateArray().Single().GetProperty("id").GetInt64();
        var rootTokenId = (await api.GetAsync("personal_access_tokens/self")).Json.GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"personal_access_tokens/{rootTokenId}", ApiFixture.AliceToken)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.PostAsync($"personal_access_tokens/{rootTokenId}/rotate", token: ApiFixture.AliceToken)).Status);
        Assert.Equal(2, (await api.GetAsync("personal_access_tokens")).Json.GetArrayLength());

        var rotated = await api.PostAsync($"personal_access_tokens/{aliceTokenId}/rotate", token: ApiFixture.AliceToken);
        Assert.Equal(HttpStatusCode.OK, rotated.Status);
        var fresh = rotated.Json.GetProperty("token").GetString()!;
        Assert.NotNull(rotated.Json.GetProperty("expires_at").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("user", ApiFixture.AliceToken)).Status);
        var me = await api.GetAsync("user", fresh);
        Assert.Equal("alice", me.Json.GetProperty("username").GetString());
        var old = await api.GetAsync($"personal_access_tokens/{aliceTokenId}", fresh);
        Assert.True(old.Json.GetProperty("revoked").GetBoolean());
        Assert.False(old.Json.GetProperty("active").GetBoolean());
        Assert.Equal(HttpStatusCode.BadRequest, (await api.PostAsync($"personal_access_tokens/{aliceTokenId}/rotate")).Status);
        Assert.Single((await api.GetAsync("personal_access_tokens?state=active", fresh)).Json.EnumerateArray());
    }

    [PostgresFact]
    public async Task On_PostgreSQL_users_are_listed_changed_blocked_deleted_and_tokens_rotated()
    {
        await using var api = await ApiFixture.StartAsync(Stores.Postgres);
        var bob = await api.PostAsync("users", """{"username":"bob","name":"Bob Builder","email":"bob@example.com"}""");
        Assert.Equal(HttpStatusCode.Created, bob.Status);
        var bobId = bob.Json.GetProperty("id").GetInt64();
        Assert.NotNull(bob.Json.GetProperty("created_at").GetString());
        Assert.Equal(["bob"], Names(await api.GetAsync("users?search=BUILDER&active=true")));
        var changed = await api.SendAsync(HttpMethod.Put, $"users/{bobId}", json: """{"email":"bob@example.org","admin":true}""");
        Assert.Equal("bob@example.org", changed.Json.GetProperty("email").GetString());
        Assert.True(changed.Json.GetProperty("is_admin").GetBoolean());
        Assert.Equal("Bob Builder", changed.Json.GetProperty("name").GetString());

        var aliceId = (await api.GetAsync("user", ApiFixture.AliceToken)).Json.GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsync($"users/{aliceId}/block")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("user", ApiFixture.AliceToken)).Status);
        Assert.Equal(["alice"], Names(await api.GetAsync("users?blocked=true")));
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsync($"users/{aliceId}/unblock")).Status);

        var tokens = await api.GetAsync($"personal_access_tokens?user_id={aliceId}");
        var tokenId = tokens.Json.EnumerateArray().Single().GetProperty("id").GetInt64();
        Assert.NotNull(tokens.Json[0].GetProperty("created_at").GetString());
        var rotated = await api.PostAsync($"personal_access_tokens/{tokenId}/rotate", """{"expires_at":"2999-01-01"}""", ApiFixture.AliceToken);
        Assert.Equal("2999-01-01", rotated.Json.GetProperty("expires_at").GetString());
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("user", rotated.Json.GetProperty("token").GetString())).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("user", ApiFixture.AliceToken)).Status);

        Assert.Equal(HttpStatusCode.NoContent, (await api.SendAsync(HttpMethod.Delete, $"users/{bobId}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"users/{bobId}")).Status);
    }

    private static string[] Names((HttpStatusCode Status, JsonElement Json, HttpResponseMessage Response) answer)
    {
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        return answer.Json.EnumerateArray().Select(u => u.GetProperty("username").GetString()!).ToArray();
    }

    private static async Task<HttpStatusCode> SignInAsync(HttpClient browser, string password)
    {
        var page = await browser.GetStringAsync("users/sign_in");
        var csrf = System.Text.RegularExpressions.Regex.Match(page, "name=\"authenticity_token\" value=\"([^\"]+)\"").Groups[1].Value;
        using var response = await browser.PostAsync("users/sign_in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["authenticity_token"] = csrf, ["username"] = "alice", ["password"] = password,
        }));
        return response.StatusCode;
    }

    private static async Task<HttpStatusCode> GitInfoRefsAsync(ApiFixture api, string path, string user, string password)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{path}.git/info/refs?service=git-receive-pack");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        using var response = await api.Server.Http.SendAsync(request);
        return response.StatusCode;
    }
}

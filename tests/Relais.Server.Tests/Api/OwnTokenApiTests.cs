using System.Globalization;
using System.Net;

namespace Relais.Server.Tests.Api;

/// <summary>
/// <c>POST /user/personal_access_tokens</c> as GitLab limits it (<c>k8s_proxy</c> and <c>self_rotate</c> only, valid
/// to the end of today by default), <c>POST /personal_access_tokens/self/rotate</c>, and <c>last_used_at</c>.
/// </summary>
public sealed class OwnTokenApiTests
{
    [Fact]
    public async Task A_user_creates_only_k8s_proxy_or_self_rotate_tokens_for_themselves()
    {
        await using var api = await ApiFixture.StartAsync();
        var created = await api.PostAsync("user/personal_access_tokens", """{"name":"kube","scopes":["k8s_proxy"]}""", ApiFixture.AliceToken);
        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal(["k8s_proxy"], created.Json.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        var tomorrow = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Assert.Equal(tomorrow, created.Json.GetProperty("expires_at").GetString());
        var kube = created.Json.GetProperty("token").GetString()!;
        Assert.Equal(HttpStatusCode.Forbidden, (await api.GetAsync("projects", kube)).Status); // k8s_proxy grants nothing here
        Assert.Equal("kube", (await api.GetAsync("personal_access_tokens/self", kube)).Json.GetProperty("name").GetString());

        foreach (var scopes in new[] { """["api"]""", """["k8s_proxy","read_api"]""", """["nope"]""" })
        {
            var refused = await api.PostAsync("user/personal_access_tokens", $$"""{"name":"x","scopes":{{scopes}}}""", ApiFixture.AliceToken);
            Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
            Assert.Contains("scopes does not have a valid value", refused.Json.GetProperty("message").GetString());
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await api.PostAsync("user/personal_access_tokens", """{"scopes":["k8s_proxy"]}""", ApiFixture.AliceToken)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.PostAsync("user/personal_access_tokens", """{"name":"x","scopes":["k8s_proxy"],"expires_at":"2001-01-01"}""", ApiFixture.AliceToken)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.PostAsync("user/personal_access_tokens", """{"name":"x","scopes":["k8s_proxy"]}""", token: null)).Status);
        // Creating one needs the api scope, as every other write does: a k8s_proxy token cannot mint more.
        Assert.Equal(HttpStatusCode.Forbidden, (await api.PostAsync("user/personal_access_tokens", """{"name":"x","scopes":["k8s_proxy"]}""", kube)).Status);
    }

    [Fact]
    public async Task A_self_rotate_token_rotates_itself_and_does_nothing_else()
    {
        await using var api = await ApiFixture.StartAsync();
        var created = await api.PostAsync("user/personal_access_tokens", """{"name":"rotor","scopes":["self_rotate"],"expires_at":"2099-01-01"}""", ApiFixture.AliceToken);
        Assert.Equal(HttpStatusCode.Created, created.Status);
        var rotor = created.Json.GetProperty("token").GetString()!;
        Assert.Equal(HttpStatusCode.Forbidden, (await api.GetAsync("user", rotor)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.PostAsync($"personal_access_tokens/{created.Json.GetProperty("id").GetInt64()}/rotate", token: rotor)).Status);
        // Another scope cannot rotate itself.
        var kube = (await api.PostAsync("user/personal_access_tokens", """{"name":"kube","scopes":["k8s_proxy"]}""", ApiFixture.AliceToken)).Json.GetProperty("token").GetString()!;
        Assert.Equal(HttpStatusCode.Forbidden, (await api.PostAsync("personal_access_tokens/self/rotate", token: kube)).Status);

        var rotated = await api.PostAsync("personal_access_tokens/self/rotate", token: rotor);
        Assert.Equal(HttpStatusCode.OK, rotated.Status);
        Assert.Equal(["self_rotate"], rotated.Json.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("personal_access_tokens/self", rotor)).Status);
        Assert.Equal("rotor", (await api.GetAsync("personal_access_tokens/self", rotated.Json.GetProperty("token").GetString())).Json.GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_tokens_last_use_is_recorded()
    {
        await using var api = await ApiFixture.StartAsync();
        var created = await api.PostAsync("users/1/personal_access_tokens", """{"name":"ci","scopes":["read_api"]}""");
        var id = created.Json.GetProperty("id").GetInt64();
        Assert.Equal(System.Text.Json.JsonValueKind.Null, (await api.GetAsync($"personal_access_tokens/{id}")).Json.GetProperty("last_used_at").ValueKind);
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("user", created.Json.GetProperty("token").GetString())).Status);
        var used = (await api.GetAsync($"personal_access_tokens/{id}")).Json.GetProperty("last_used_at").GetString();
        Assert.InRange(DateTimeOffset.Parse(used!, CultureInfo.InvariantCulture), before, DateTimeOffset.UtcNow.AddSeconds(1));
    }
}

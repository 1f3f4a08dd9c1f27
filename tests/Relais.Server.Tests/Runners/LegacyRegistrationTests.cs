using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Relais.Server.RunnerApi;
using Relais.Server.Security;
using Relais.Server.Tests.Api;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Runners;

/// <summary>
/// GitLab's legacy registration (issue #14): <c>POST /api/v4/runners</c> with the instance's registration token (what
/// <c>gitlab-runner register --registration-token</c> sends) creates an instance runner that can then verify, take
/// jobs and unregister with <c>DELETE /api/v4/runners</c>; any other token is 403.
/// </summary>
public sealed class LegacyRegistrationTests
{
    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task A_registration_token_creates_a_runner_that_works_until_it_unregisters(string store)
    {
        await using var api = await ApiFixture.StartAsync(store);
        var host = api.Server.Host;
        var registration = await new RegistrationTokens(host.Stores.Runners, SecretKeyFile.Open(host.Options.DataDir, host.Options.SecretKey)).InstanceTokenAsync(default);
        Assert.StartsWith(RegistrationTokens.Prefix, registration, StringComparison.Ordinal);

        using var refused = await api.Server.Http.PostAsJsonAsync("api/v4/runners", new Dictionary<string, string> { ["token"] = "GR1348941not-the-token" });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        using var form = new FormUrlEncodedContent([new("token", registration), new("description", "old tutorial"), new("tag_list", "linux,docker"), new("run_untagged", "false")]);
        using var created = await api.Server.Http.PostAsync("api/v4/runners", form);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("application/json", created.Content.Headers.ContentType?.ToString());
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = body.GetProperty("id").GetInt64();
        var token = body.GetProperty("token").GetString()!;
        Assert.StartsWith("glrt-", token, StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("token_expires_at").ValueKind);

        var runner = (await api.GetAsync($"runners/{id}")).Json;
        Assert.Equal("instance_type", runner.GetProperty("runner_type").GetString());
        Assert.Equal(new[] { "linux", "docker" }, runner.GetProperty("tag_list").EnumerateArray().Select(t => t.GetString()));
        Assert.False(runner.GetProperty("run_untagged").GetBoolean());

        await api.Server.CreatePipelineAsync("build: {script: [echo], tags: [linux]}");
        Assert.NotNull(await api.Server.RequestJobAsync(token));

        using var unregister = new HttpRequestMessage(HttpMethod.Delete, "api/v4/runners") { Content = TestServer.Json($$"""{"token":"{{token}}"}""") };
        Assert.Equal(HttpStatusCode.NoContent, (await api.Server.Http.SendAsync(unregister)).StatusCode);
        using var verify = await api.Server.Http.PostAsJsonAsync("api/v4/runners/verify", new Dictionary<string, string> { ["token"] = token });
        Assert.Equal(HttpStatusCode.Forbidden, verify.StatusCode);
    }
}

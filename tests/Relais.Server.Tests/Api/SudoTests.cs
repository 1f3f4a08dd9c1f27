using System.Net;
using Relais.Server.Auth;
using Relais.Server.Storage;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Api;

/// <summary>
/// GitLab's sudo (issue #14): an administrator's token with the <c>sudo</c> scope acts as another user through the
/// <c>Sudo</c> header or <c>sudo</c> parameter, with GitLab's 403s and 404; the audit log keeps the real actor.
/// </summary>
public sealed class SudoTests
{
    private const string SudoToken = "glpat-root-sudo-token";

    [PythonGitLabFact]
    public async Task An_administrators_sudo_token_acts_as_another_user_through_python_gitlab()
    {
        await using var api = await StartAsync();

        var result = await PythonGitLab.RunAsync(api.Server.Host.ExternalUrl, SudoToken, """
            me = gl.http_get("/user", sudo="alice")["username"]
            p = gl.projects.create({"name": "by-sudo"}, sudo="alice")
            print(json.dumps({"me": me, "project": p.path_with_namespace, "plain": gl.http_get("/user")["username"]}))
            """);

        Assert.Equal("alice", result.GetProperty("me").GetString());
        Assert.Equal("alice/by-sudo", result.GetProperty("project").GetString());
        Assert.Equal("root", result.GetProperty("plain").GetString());
        var events = await api.Server.Host.Stores.Audit.ListAuditEventsAsync("Project", 0, 10);
        var created = Assert.Single(events.Items, e => e.Action == "project_created");
        Assert.Equal("root", created.AuthorName);
        Assert.StartsWith("as alice (sudo)", created.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sudo_is_refused_to_non_administrators_to_tokens_without_the_scope_and_for_unknown_users()
    {
        await using var api = await StartAsync();

        var (status, json, _) = await SendAsync(api, ApiFixture.AliceToken, "Sudo", "root");
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("403 Forbidden - Must be admin to use sudo", json.GetProperty("message").GetString());

        (status, json, _) = await SendAsync(api, TestServer.RootToken, "Sudo", "alice"); // root's token has only api
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("insufficient_scope", json.GetProperty("error").GetString());
        Assert.Equal("sudo", json.GetProperty("scope").GetString());

        (status, json, _) = await SendAsync(api, SudoToken, "Sudo", "nobody");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("404 User with ID or username 'nobody' Not Found", json.GetProperty("message").GetString());

        var alice = (await api.Server.Host.Stores.Identity.ListUsersAsync(new UserFilter(Username: "alice"))).Single();
        (status, json, _) = await SendAsync(api, SudoToken, null, alice.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("alice", json.GetProperty("username").GetString());
    }

    private static async Task<ApiFixture> StartAsync()
    {
        var api = await ApiFixture.StartAsync();
        await api.Server.Host.Stores.Identity.AddPersonalAccessTokenAsync(1, "sudo", Tokens.Hash(SudoToken), DateTimeOffset.UtcNow, new TokenGrant(["api", "sudo"], null));
        return api;
    }

    /// <summary><c>GET /user</c> with <paramref name="token"/>, sudo by header (<paramref name="header"/>) or, when null, by parameter.</summary>
    private static async Task<(HttpStatusCode, System.Text.Json.JsonElement, HttpResponseMessage)> SendAsync(ApiFixture api, string token, string? header, string who)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, header is null ? $"api/v4/user?sudo={who}" : "api/v4/user");
        request.Headers.Add("PRIVATE-TOKEN", token);
        if (header is not null)
        {
            request.Headers.Add(header, who);
        }

        var response = await api.Server.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, System.Text.Json.JsonDocument.Parse(text).RootElement.Clone(), response);
    }
}

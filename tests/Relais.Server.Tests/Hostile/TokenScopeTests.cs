using System.Net;
using Relais.Server.Auth;
using Relais.Server.Storage;
using Relais.Server.Tests.Git;
using Relais.Server.Tests.Security;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Hostile;

/// <summary>
/// Personal access token scopes and expiry as GitLab enforces them: <c>read_api</c> only reads, <c>read_repository</c>
/// only clones, <c>read_user</c> only reads the user; an expired token is as unknown as a made-up one; token
/// creation refuses scopes and dates it does not know.
/// </summary>
public sealed class TokenScopeTests
{
    private const string Pipeline = "job:\n  script: [echo hi]\n";

    [Fact]
    public async Task A_read_api_token_tries_to_create_a_project()
    {
        await using var f = await SecurityFixture.StartAsync();
        var (_, token) = await SessionClients.TokenAsync(f.Server, f.AliceId, "read_api");

        var (status, json) = await f.RestAsync(HttpMethod.Post, "projects", token, """{"name":"sneaky"}""");
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("insufficient_scope", json.GetProperty("error").GetString());
        Assert.Equal("api", json.GetProperty("scope").GetString());
        Assert.Null(await f.Server.Host.Stores.Projects.FindProjectAsync("alice/sneaky"));

        Assert.Equal(HttpStatusCode.OK, (await f.RestAsync(HttpMethod.Get, "projects", token)).Status);
        Assert.Equal(HttpStatusCode.OK, (await f.RestAsync(HttpMethod.Get, "user", token)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await f.RestAsync(HttpMethod.Delete, "personal_access_tokens/1", token)).Status);
    }

    [Fact]
    public async Task A_read_user_token_tries_to_list_projects_and_create_a_runner()
    {
        await using var f = await SecurityFixture.StartAsync();
        var (_, token) = await SessionClients.TokenAsync(f.Server, 1, "read_user");

        Assert.Equal(HttpStatusCode.OK, (await f.RestAsync(HttpMethod.Get, "user", token)).Status);
        Assert.Equal(HttpStatusCode.OK, (await f.RestAsync(HttpMethod.Get, $"users/{f.AliceId}", token)).Status);
        var (status, json) = await f.RestAsync(HttpMethod.Get, "projects", token);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("api read_api", json.GetProperty("scope").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await f.RestAsync(HttpMethod.Post, "user/runners", token, """{"runner_type":"instance_type"}""")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, await f.GitInfoRefsAsync("root/any", "root", token));
    }

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task An_expired_token_tries_the_api_and_git(string store)
    {
        await using var f = await SecurityFixture.StartAsync(store: store);
        await f.ProjectAsync("repo", Pipeline);
        var identity = f.Server.Host.Stores.Identity;
        var yesterday = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await identity.AddPersonalAccessTokenAsync(1, "old", Tokens.Hash("glpat-expired-yesterday"), DateTimeOffset.UtcNow.AddDays(-30), new TokenGrant(["api"], yesterday));
        await identity.AddPersonalAccessTokenAsync(1, "today", Tokens.Hash("glpat-expires-today"), DateTimeOffset.UtcNow.AddDays(-30), new TokenGrant(["api"], today));
        await identity.AddPersonalAccessTokenAsync(1, "later", Tokens.Hash("glpat-expires-later"), DateTimeOffset.UtcNow, new TokenGrant(["api"], today.AddDays(2)));

        var unknown = await f.RestAsync(HttpMethod.Get, "user", "glpat-never-existed");
        foreach (var expired in (string[])["glpat-expired-yesterday", "glpat-expires-today"])
        {
            var (status, json) = await f.RestAsync(HttpMethod.Get, "user", expired);
            Assert.Equal(HttpStatusCode.Unauthorized, status);
            Assert.Equal(unknown.Json.ToString(), json.ToString()); // nothing says the token ever existed
            Assert.Equal(HttpStatusCode.Unauthorized, await f.GitInfoRefsAsync("root/repo", "root", expired));
        }

        Assert.Equal(HttpStatusCode.OK, (await f.RestAsync(HttpMethod.Get, "user", "glpat-expires-later")).Status);
    }

    [Fact]
    public async Task A_read_repository_token_clones_then_tries_to_push()
    {
        await using var f = await SecurityFixture.StartAsync();
        await f.ProjectAsync("code", Pipeline, token: f.AliceToken);
        using (var seed = GitClient.Init())
        {
            seed.Write("README", "hello");
            seed.Commit("first");
            seed.Ok("push", "--quiet", Remote(f, "alice", f.AliceToken, "alice/code"), "main");
        }

        var (_, reader) = await SessionClients.TokenAsync(f.Server, f.AliceId, "read_repository");
        using var clone = new GitClient();
        clone.Ok("clone", "--quiet", Remote(f, "alice", reader, "alice/code"), ".");
        Assert.Equal("hello", File.ReadAllText(Path.Combine(clone.Dir, "README")));
        clone.Write("README", "changed");
        clone.Commit("second");
        var (code, _, stderr) = clone.Run("push", "--quiet", "origin", "main");
        Assert.NotEqual(0, code);
        Assert.Contains("403", stderr, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await f.RestAsync(HttpMethod.Get, "projects", reader)).Status); // not an API token

        var (_, writer) = await SessionClients.TokenAsync(f.Server, f.AliceId, "write_repository");
        clone.Ok("push", "--quiet", Remote(f, "alice", writer, "alice/code"), "main");
    }

    [Fact]
    public async Task Creating_tokens_with_made_up_scopes_and_dates()
    {
        await using var f = await SecurityFixture.StartAsync();
        var path = $"users/{f.AliceId}/personal_access_tokens";
        foreach (var body in (string[])[
            """{"name":"x"}""",
            """{"name":"x","scopes":[]}""",
            """{"name":"x","scopes":["api","root"]}""",
            """{"name":"x","scopes":["sudo"]}""",
            """{"name":"x","scopes":["api"],"expires_at":"tomorrow"}""",
            """{"name":"x","scopes":["api"],"expires_at":"2020-01-01"}""",
            """{"name":"x","scopes":["api"],"expires_at":"2030-02-30"}"""])
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await f.RestAsync(HttpMethod.Post, path, TestServer.RootToken, body)).Status);
        }

        var day = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(30).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var (status, json) = await f.RestAsync(HttpMethod.Post, path, TestServer.RootToken, $$"""{"name":"x","scopes":["read_api","write_repository","read_registry"],"expires_at":"{{day}}"}""");
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(day, json.GetProperty("expires_at").GetString());
        Assert.Equal(["read_api", "write_repository", "read_registry"], json.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        var stored = await f.Server.Host.Stores.Identity.FindTokenAsync(Tokens.Hash(json.GetProperty("token").GetString()!), DateTimeOffset.UtcNow);
        Assert.Equal(["read_api", "write_repository", "read_registry"], stored!.ScopeList);
    }

    [Fact]
    public async Task A_leaked_read_user_token_is_checked_and_revoked_by_itself()
    {
        await using var f = await SecurityFixture.StartAsync();
        var day = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(5).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var (id, token) = await SessionClients.TokenAsync(f.Server, f.AliceId, "read_user", day);

        var (status, self) = await f.RestAsync(HttpMethod.Get, "personal_access_tokens/self", token);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(id, self.GetProperty("id").GetInt64());
        Assert.Equal(["read_user"], self.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(day, self.GetProperty("expires_at").GetString());
        Assert.Equal(f.AliceId, self.GetProperty("user_id").GetInt64());
        Assert.False(self.TryGetProperty("token", out _));

        Assert.Equal(HttpStatusCode.NoContent, (await f.RestAsync(HttpMethod.Delete, "personal_access_tokens/self", token)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await f.RestAsync(HttpMethod.Get, "user", token)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await f.RestAsync(HttpMethod.Get, "personal_access_tokens/self", null)).Status);
    }

    private static string Remote(SecurityFixture f, string user, string token, string project) =>
        $"http://{user}:{token}@127.0.0.1:{f.Server.Port}/{project}.git";
}

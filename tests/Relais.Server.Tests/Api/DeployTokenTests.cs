using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Relais.Server.Security;
using Relais.Server.Storage.Json;
using Relais.Server.Tests.Git;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Api;

/// <summary>Deploy tokens: made and revoked by python-gitlab, used by real git over HTTP on their own project only, by scope.</summary>
public sealed class DeployTokenTests
{
    [PythonGitLabFact]
    public async Task Python_gitlab_creates_lists_and_revokes_deploy_tokens_and_git_clones_and_pushes_by_their_scopes()
    {
        await using var repo = await RepositoryApiFixture.StartAsync();
        var server = repo.Api.Server;
        var url = server.Host.ExternalUrl;
        var made = await PythonGitLab.RunAsync(url, TestServer.RootToken, $$"""
            p = gl.projects.get({{repo.Project}})
            r = p.deploytokens.create({'name': 'reader', 'scopes': ['read_repository'], 'expires_at': '2099-01-01T00:00:00Z'})
            w = p.deploytokens.create({'name': 'writer', 'scopes': ['read_repository', 'write_repository'], 'username': 'pusher'})
            print(json.dumps({'read': r.attributes, 'write': w.attributes, 'list': [t.attributes for t in p.deploytokens.list()]}))
            """);
        var read = made.GetProperty("read");
        var write = made.GetProperty("write");
        var readToken = read.GetProperty("token").GetString()!;
        var writeToken = write.GetProperty("token").GetString()!;
        Assert.StartsWith("gldt-", readToken, StringComparison.Ordinal);
        Assert.Equal("gitlab+deploy-token-" + read.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture), read.GetProperty("username").GetString());
        Assert.Equal("pusher", write.GetProperty("username").GetString());
        Assert.Equal(["read_repository"], read.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal("2099-01-01T00:00:00.000Z", read.GetProperty("expires_at").GetString());
        Assert.Equal(2, made.GetProperty("list").GetArrayLength());
        Assert.All(made.GetProperty("list").EnumerateArray(), t => Assert.False(t.TryGetProperty("token", out _)));

        // Clone with the read token; push with it is refused; the write token pushes.
        var readUser = read.GetProperty("username").GetString()!;
        using var clone = new GitClient();
        clone.Ok("clone", "--quiet", Remote(server, readUser, readToken, "root/demo"), ".");
        Assert.Equal("two\n", File.ReadAllText(Path.Combine(clone.Dir, "src", "app.txt")));
        clone.Write("deploy.txt", "from a deploy token\n");
        clone.Commit("Deploy");
        var refused = clone.Run("push", "--quiet", Remote(server, readUser, readToken, "root/demo"), "HEAD:refs/heads/deployed");
        Assert.NotEqual(0, refused.Code);
        Assert.Contains("403", refused.Stderr, StringComparison.Ordinal);
        clone.Ok("push", "--quiet", Remote(server, "pusher", writeToken, "root/demo"), "HEAD:refs/heads/deployed");
        Assert.Equal(HttpStatusCode.OK, (await repo.Api.GetAsync($"projects/{repo.Project}/repository/branches/deployed")).Status);

        // Only on its own project; only with its own username.
        repo.Git.Ok("push", "--quiet", $"http://root:{TestServer.RootToken}@127.0.0.1:{server.Port}/root/other.git", "main");
        Assert.Equal(HttpStatusCode.NotFound, await InfoRefsAsync(server, "root/other", readUser, readToken));
        Assert.Equal(HttpStatusCode.Unauthorized, await InfoRefsAsync(server, "root/demo", "someone-else", readToken));
        Assert.Equal(HttpStatusCode.OK, await InfoRefsAsync(server, "root/demo", readUser, readToken));

        // Revoked by python-gitlab: 401, listed as revoked, and the failure is audited as a deploy token's.
        await PythonGitLab.RunAsync(url, TestServer.RootToken, $$"""
            gl.projects.get({{repo.Project}}).deploytokens.delete({{read.GetProperty("id").GetInt64()}})
            print('null')
            """);
        Assert.Equal(HttpStatusCode.Unauthorized, await InfoRefsAsync(server, "root/demo", readUser, readToken));
        var (_, one, _) = await repo.Api.GetAsync($"projects/{repo.Project}/deploy_tokens/{read.GetProperty("id").GetInt64()}");
        Assert.True(one.GetProperty("revoked").GetBoolean());
        var audit = await server.Host.Stores.Audit.ListAuditEventsAsync(null, 0, 100);
        Assert.Contains(audit.Items, e => e.Action == "authentication_failed" && e.Details!.Contains("deploy token gldt-", StringComparison.Ordinal));
        Assert.Contains(audit.Items, e => e.Action == "deploy_token_created");
        Assert.Contains(audit.Items, e => e.Action == "deploy_token_revoked");

        // Administrators list every project's tokens; active filters.
        var all = await PythonGitLab.RunAsync(url, TestServer.RootToken, """
            print(json.dumps({'all': len(gl.deploytokens.list()), 'active': len(gl.deploytokens.list(active=True))}))
            """);
        Assert.Equal(2, all.GetProperty("all").GetInt32());
        Assert.Equal(1, all.GetProperty("active").GetInt32());
    }

    [Fact]
    public async Task An_expired_deploy_token_is_refused_and_a_non_maintainer_cannot_see_or_make_tokens()
    {
        await using var repo = await RepositoryApiFixture.StartAsync();
        var (status, expired, _) = await repo.Api.PostAsync($"projects/{repo.Project}/deploy_tokens", """{"name":"old","scopes":["read_repository"],"expires_at":"2001-01-01"}""");
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.True(expired.GetProperty("expired").GetBoolean());
        Assert.Equal(HttpStatusCode.Unauthorized, await InfoRefsAsync(repo.Api.Server, "root/demo", expired.GetProperty("username").GetString()!, expired.GetProperty("token").GetString()!));

        Assert.Equal(HttpStatusCode.BadRequest, (await repo.Api.PostAsync($"projects/{repo.Project}/deploy_tokens", """{"name":"x","scopes":["api"]}""")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await repo.Api.PostAsync($"projects/{repo.Project}/deploy_tokens", """{"name":"x"}""")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await repo.Api.PostAsync($"projects/{repo.Project}/deploy_tokens", """{"name":"x","scopes":["read_repository"],"username":"no spaces"}""")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await repo.Api.GetAsync($"projects/{repo.Project}/deploy_tokens", ApiFixture.AliceToken)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await repo.Api.PostAsync($"projects/{repo.Project}/deploy_tokens", """{"name":"x","scopes":["read_repository"]}""", ApiFixture.AliceToken)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await repo.Api.GetAsync("deploy_tokens", ApiFixture.AliceToken)).Status);
    }

    [Fact]
    public async Task Guessing_deploy_tokens_over_git_is_rate_limited_like_other_failed_credentials()
    {
        await using var server = await TestServer.StartAsync(Stores.Sqlite, configure: o => o with { AuthThrottle = new AuthThrottleOptions { FailuresPerKey = 3, FailuresPerAddress = 50, Window = TimeSpan.FromMinutes(5) } });
        using var git = GitClient.Init();
        git.Write("README.md", "x\n");
        git.Commit("First");
        git.Ok("push", "--quiet", $"http://root:{TestServer.RootToken}@127.0.0.1:{server.Port}/root/demo.git", "main");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await InfoRefsAsync(server, "root/demo", "gitlab+deploy-token-1", $"gldt-AAAA-guess-{i}"));
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, await InfoRefsAsync(server, "root/demo", "gitlab+deploy-token-1", "gldt-AAAA-guess-next"));
    }

    [Fact]
    public async Task A_token_named_gitlab_deploy_token_gives_new_pipelines_CI_DEPLOY_USER_and_a_masked_CI_DEPLOY_PASSWORD()
    {
        await using var api = await ApiFixture.StartAsync();
        var project = await api.ProjectWithConfigAsync("deploy", "build:\n  script: [echo hi]\n");
        var before = await ContextVariablesAsync(api, project);
        Assert.DoesNotContain(before, v => v.Key == "CI_DEPLOY_USER");

        var (_, token, _) = await api.PostAsync($"projects/{project}/deploy_tokens", """{"name":"gitlab-deploy-token","scopes":["read_repository","read_registry"]}""");
        var after = await ContextVariablesAsync(api, project);
        Assert.Equal(token.GetProperty("username").GetString(), after.Single(v => v.Key == "CI_DEPLOY_USER").Value);
        var password = after.Single(v => v.Key == "CI_DEPLOY_PASSWORD");
        Assert.True(password.Masked);
        Assert.True(SecretBox.IsProtected(password.Value)); // stored encrypted, opened for the job only
        var options = api.Server.Host.Options;
        Assert.Equal(token.GetProperty("token").GetString(), SecretKeyFile.Open(options.DataDir, options.SecretKey).Unprotect(password.Value));

        Assert.Equal(HttpStatusCode.NoContent, (await api.SendAsync(HttpMethod.Delete, $"projects/{project}/deploy_tokens/{token.GetProperty("id").GetInt64()}")).Status);
        Assert.DoesNotContain(await ContextVariablesAsync(api, project), v => v.Key == "CI_DEPLOY_PASSWORD");
    }

    private static async Task<IReadOnlyList<Relais.Pipelines.Context.ContextVariable>> ContextVariablesAsync(ApiFixture api, long project)
    {
        var pipeline = await api.RunPipelineAsync(project);
        var row = await api.Server.Host.Stores.Pipelines.GetPipelineAsync(pipeline);
        return StateJson.ReadContext(row!.ContextJson!)!.Variables;
    }

    private static string Remote(TestServer server, string user, string token, string path) =>
        $"http://{Uri.EscapeDataString(user)}:{token}@127.0.0.1:{server.Port}/{path}.git";

    private static async Task<HttpStatusCode> InfoRefsAsync(TestServer server, string path, string user, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{path}.git/info/refs?service=git-upload-pack");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{token}")));
        using var response = await server.Http.SendAsync(request);
        return response.StatusCode;
    }
}

using System.Net;
using Relais.Server.Tests.Api;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Hostile;

/// <summary>Attacks on the repository's write side and on deploy tokens: each test is named after what it tries.</summary>
public sealed class RepositoryWriteAttackTests
{
    [Fact]
    public async Task Committing_into_dot_git_or_its_short_name_through_the_api_is_refused_and_the_branch_stays()
    {
        await using var repo = await RepositoryApiFixture.StartAsync();
        foreach (var path in new[] { ".git/hooks/post-receive", ".GIT/config", "src/.git/config", "GIT~1/config" })
        {
            var (status, json, _) = await repo.Api.PostAsync(
                $"projects/{repo.Project}/repository/commits",
                $$"""{"branch":"main","commit_message":"m","actions":[{"action":"create","file_path":"{{path}}","content":"#!/bin/sh\nexit 0\n","execute_filemode":true}]}""");
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.StartsWith("Invalid path", json.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        var (_, branch, _) = await repo.Api.GetAsync($"projects/{repo.Project}/repository/branches/main");
        Assert.Equal(repo.Second, branch.GetProperty("commit").GetProperty("id").GetString());
    }

    [Fact]
    public async Task An_option_shaped_branch_or_start_sha_never_reaches_git_as_an_option()
    {
        await using var repo = await RepositoryApiFixture.StartAsync();
        var route = $"projects/{repo.Project}/repository/commits";
        var (status, json, _) = await repo.Api.PostAsync(route, """{"branch":"--output=/tmp/pwned","commit_message":"m","actions":[{"action":"create","file_path":"x","content":"x"}]}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("Branch name is invalid", json.GetProperty("message").GetString());
        (status, json, _) = await repo.Api.PostAsync(route, """{"branch":"x","start_sha":"--upload-pack=touch","commit_message":"m","actions":[{"action":"create","file_path":"x","content":"x"}]}""");
        Assert.Equal("Invalid start_sha '--upload-pack=touch'", json.GetProperty("message").GetString());
        (status, _, _) = await repo.Api.PostAsync(route, """{"branch":"x","start_branch":"--orphan","commit_message":"m","actions":[{"action":"create","file_path":"x","content":"x"}]}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.False(File.Exists("/tmp/pwned"));
    }

    [Fact]
    public async Task A_deploy_token_presented_to_the_rest_api_is_unauthorized()
    {
        await using var repo = await RepositoryApiFixture.StartAsync();
        var (_, token, _) = await repo.Api.PostAsync($"projects/{repo.Project}/deploy_tokens", """{"name":"t","scopes":["read_repository","write_repository"]}""");
        var value = token.GetProperty("token").GetString()!;
        Assert.Equal(HttpStatusCode.Unauthorized, (await repo.Api.GetAsync($"projects/{repo.Project}", value)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await repo.Api.PostAsync($"projects/{repo.Project}/deploy_tokens", """{"name":"u","scopes":["read_repository"]}""", value)).Status);
    }

    [Fact]
    public async Task A_deploy_token_of_one_project_pushing_a_new_project_into_existence_is_refused()
    {
        await using var repo = await RepositoryApiFixture.StartAsync();
        var (_, token, _) = await repo.Api.PostAsync($"projects/{repo.Project}/deploy_tokens", """{"name":"t","scopes":["write_repository"]}""");
        var remote = $"http://{Uri.EscapeDataString(token.GetProperty("username").GetString()!)}:{token.GetProperty("token").GetString()}@127.0.0.1:{repo.Api.Server.Port}/root/brand-new.git";
        var (code, _, stderr) = repo.Git.Run("push", "--quiet", remote, "main");
        Assert.NotEqual(0, code);
        Assert.Contains("not found", stderr, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.NotFound, (await repo.Api.GetAsync("projects/root%2Fbrand-new")).Status);
    }
}

using System.Net;
using Relais.Server.Git;
using Relais.Server.Tests.Api;
using Relais.Server.Tests.Git;

namespace Relais.Server.Tests.Protection;

/// <summary>
/// Protected branches and tags enforced on real <c>git push</c>es over smart HTTP: alice owns <c>alice/demo</c> (not an
/// administrator); a refused push looks like GitLab's and changes no ref.
/// </summary>
public sealed class ProtectedPushTests
{
    private const string Declined = "(pre-receive hook declined)";

    private static string Remote(ApiFixture api) => $"http://alice:{ApiFixture.AliceToken}@127.0.0.1:{api.Server.Port}/alice/demo.git";

    /// <summary>alice pushes main (the project is created, main protected for maintainers) and returns her clone.</summary>
    private static GitClient Pushed(ApiFixture api)
    {
        var git = GitClient.Init();
        git.Write("README.md", "demo\n");
        git.Commit("first");
        git.Ok("remote", "add", "origin", Remote(api));
        git.Ok("push", "--quiet", "origin", "main");
        return git;
    }

    private static string ServerRef(ApiFixture api, string gitRef)
    {
        using var probe = new GitClient();
        return probe.Ok("ls-remote", Remote(api), gitRef).Split('\t')[0];
    }

    private static Task<(HttpStatusCode Status, System.Text.Json.JsonElement Json, HttpResponseMessage Response)> AliceAsync(ApiFixture api, HttpMethod method, string path, string? json = null) =>
        api.SendAsync(method, "projects/alice%2Fdemo/" + path, ApiFixture.AliceToken, json);

    [Fact]
    public async Task Push_level_no_one_refuses_even_the_owner_like_gitlab_and_moves_no_ref()
    {
        await using var api = await ApiFixture.StartAsync();
        using var git = Pushed(api);
        var before = ServerRef(api, "refs/heads/main");
        git.Write("README.md", "second\n");
        git.Commit("second");
        git.Ok("push", "--quiet", "origin", "main");
        var allowed = ServerRef(api, "refs/heads/main");
        Assert.NotEqual(before, allowed);

        var (status, _, _) = await AliceAsync(api, HttpMethod.Patch, "protected_branches/main", """{"push_access_level": 0}""");
        Assert.Equal(HttpStatusCode.OK, status);
        git.Write("README.md", "third\n");
        git.Commit("third");
        git.Ok("branch", "feature");
        var (code, _, stderr) = git.Run("push", "origin", "main", "feature");

        Assert.NotEqual(0, code);
        Assert.Contains("remote: GitLab: You are not allowed to push code to protected branches on this project.", stderr, StringComparison.Ordinal);
        Assert.Contains($"! [remote rejected] main -> main {Declined}", stderr, StringComparison.Ordinal);
        Assert.Contains($"! [remote rejected] feature -> feature {Declined}", stderr, StringComparison.Ordinal);
        Assert.Equal(allowed, ServerRef(api, "refs/heads/main"));
        Assert.Equal("", ServerRef(api, "refs/heads/feature"));
    }

    [Fact]
    public async Task A_force_push_to_a_protected_branch_is_refused_until_the_rule_allows_it()
    {
        await using var api = await ApiFixture.StartAsync();
        using var git = Pushed(api);
        var before = ServerRef(api, "refs/heads/main");
        git.Write("README.md", "rewritten\n");
        git.Ok("add", "-A");
        git.Ok("commit", "--quiet", "--amend", "-m", "rewritten");

        var (code, _, stderr) = git.Run("push", "--force", "origin", "main");
        Assert.NotEqual(0, code);
        Assert.Contains("remote: GitLab: You are not allowed to force push code to a protected branch on this project.", stderr, StringComparison.Ordinal);
        Assert.Contains($"! [remote rejected] main -> main {Declined}", stderr, StringComparison.Ordinal);
        Assert.Equal(before, ServerRef(api, "refs/heads/main"));

        Assert.Equal(HttpStatusCode.OK, (await AliceAsync(api, HttpMethod.Patch, "protected_branches/main", """{"allow_force_push": true}""")).Status);
        git.Ok("push", "--quiet", "--force", "origin", "main");
        Assert.Equal(git.Ok("rev-parse", "HEAD").Trim(), ServerRef(api, "refs/heads/main"));

        // A fast-forward is no force push: it needs nothing more than the push level.
        Assert.Equal(HttpStatusCode.OK, (await AliceAsync(api, HttpMethod.Patch, "protected_branches/main", """{"allow_force_push": false}""")).Status);
        git.Write("README.md", "forward\n");
        git.Commit("forward");
        git.Ok("push", "--quiet", "origin", "main");
    }

    [Fact]
    public async Task Deleting_a_protected_branch_over_git_is_refused_but_the_api_lets_a_maintainer()
    {
        await using var api = await ApiFixture.StartAsync();
        using var git = Pushed(api);
        Assert.Equal(HttpStatusCode.Created, (await AliceAsync(api, HttpMethod.Post, "protected_branches", """{"name": "release/*"}""")).Status);
        git.Ok("push", "--quiet", "origin", "main:release/1");
        var (code, _, stderr) = git.Run("push", "origin", ":release/1");
        Assert.NotEqual(0, code);
        Assert.Contains("remote: GitLab: You can only delete protected branches using the web interface.", stderr, StringComparison.Ordinal);
        Assert.Contains($"! [remote rejected] release/1 {Declined}", stderr, StringComparison.Ordinal);
        Assert.NotEqual("", ServerRef(api, "refs/heads/release/1"));

        var (_, branch, _) = await AliceAsync(api, HttpMethod.Get, "repository/branches/release%2F1");
        Assert.True(branch.GetProperty("protected").GetBoolean());
        Assert.True(branch.GetProperty("can_push").GetBoolean());
        Assert.False(branch.GetProperty("developers_can_push").GetBoolean());
        Assert.Equal(HttpStatusCode.NoContent, (await AliceAsync(api, HttpMethod.Delete, "repository/branches/release%2F1")).Status);
        Assert.Equal("", ServerRef(api, "refs/heads/release/1"));
    }

    [Fact]
    public async Task Protected_tags_cannot_be_created_below_their_level_moved_or_deleted_over_git()
    {
        await using var api = await ApiFixture.StartAsync();
        using var git = Pushed(api);
        var (created, tag, _) = await AliceAsync(api, HttpMethod.Post, "protected_tags", """{"name": "v*", "create_access_level": 0}""");
        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal(("v*", 0, "No one"), (tag.GetProperty("name").GetString(), tag.GetProperty("create_access_levels")[0].GetProperty("access_level").GetInt32(),
            tag.GetProperty("create_access_levels")[0].GetProperty("access_level_description").GetString()));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await AliceAsync(api, HttpMethod.Post, "protected_tags", """{"name": "v*"}""")).Status);

        git.Ok("tag", "v1");
        var (code, _, stderr) = git.Run("push", "origin", "v1");
        Assert.NotEqual(0, code);
        Assert.Contains("remote: GitLab: You are not allowed to create this tag as it is protected.", stderr, StringComparison.Ordinal);
        Assert.Contains($"! [remote rejected] v1 -> v1 {Declined}", stderr, StringComparison.Ordinal);
        Assert.Equal("", ServerRef(api, "refs/tags/v1"));
        Assert.Equal(HttpStatusCode.Forbidden, (await AliceAsync(api, HttpMethod.Post, "repository/tags", """{"tag_name": "v1", "ref": "main"}""")).Status);

        // At the maintainers' level the owner creates it; then it never moves and goes only through the API.
        Assert.Equal(HttpStatusCode.NoContent, (await AliceAsync(api, HttpMethod.Delete, "protected_tags/v*")).Status);
        Assert.Equal(HttpStatusCode.Created, (await AliceAsync(api, HttpMethod.Post, "protected_tags", """{"name": "v*"}""")).Status);
        git.Ok("push", "--quiet", "origin", "v1");
        var v1 = ServerRef(api, "refs/tags/v1");
        git.Write("README.md", "moved\n");
        git.Commit("moved");
        git.Ok("tag", "--force", "v1");
        (code, _, stderr) = git.Run("push", "--force", "origin", "v1");
        Assert.NotEqual(0, code);
        Assert.Contains("remote: GitLab: Protected tags cannot be updated.", stderr, StringComparison.Ordinal);
        (code, _, stderr) = git.Run("push", "origin", ":refs/tags/v1");
        Assert.NotEqual(0, code);
        Assert.Contains("remote: GitLab: You can only delete protected tags using the web interface.", stderr, StringComparison.Ordinal);
        Assert.Equal(v1, ServerRef(api, "refs/tags/v1"));
        var (_, tags, _) = await AliceAsync(api, HttpMethod.Get, "repository/tags");
        Assert.True(tags[0].GetProperty("protected").GetBoolean());
        Assert.Equal(HttpStatusCode.NoContent, (await AliceAsync(api, HttpMethod.Delete, "repository/tags/v1")).Status);
    }

    [Fact]
    public async Task A_developer_member_pushes_a_feature_branch_and_is_refused_on_protected_main()
    {
        await using var api = await ApiFixture.StartAsync();
        using var git = Pushed(api);
        var bob = await api.Server.Host.Stores.Identity.AddUserAsync("bob", false, DateTimeOffset.UtcNow);
        await api.Server.Host.Stores.Identity.AddPersonalAccessTokenAsync(bob!.Id, "api", Relais.Server.Auth.Tokens.Hash("glpat-bob-token"), DateTimeOffset.UtcNow);
        Assert.Equal(HttpStatusCode.Created, (await AliceAsync(api, HttpMethod.Post, "members", $$"""{"user_id": {{bob.Id}}, "access_level": 30}""")).Status);
        var asBob = $"http://bob:glpat-bob-token@127.0.0.1:{api.Server.Port}/alice/demo.git";
        var before = ServerRef(api, "refs/heads/main");
        git.Write("README.md", "bob\n");
        git.Commit("bob");
        git.Ok("push", "--quiet", asBob, "main:feature");
        var (code, _, stderr) = git.Run("push", asBob, "main");
        Assert.NotEqual(0, code);
        Assert.Contains("remote: GitLab: You are not allowed to push code to protected branches on this project.", stderr, StringComparison.Ordinal);
        Assert.Equal(before, ServerRef(api, "refs/heads/main"));
    }

    [Fact]
    public async Task A_push_to_the_pipeline_refs_runners_check_out_is_refused()
    {
        await using var api = await ApiFixture.StartAsync();
        using var git = Pushed(api);
        var (code, _, stderr) = git.Run("push", "origin", "main:refs/pipelines/1");
        Assert.NotEqual(0, code);
        Assert.Contains("remote: GitLab: " + PushGate.HiddenRef, stderr, StringComparison.Ordinal);
        Assert.Equal("", ServerRef(api, "refs/pipelines/1"));
    }
}

using System.Net;
using System.Text.Json;
using Relais.Server.Tests.Api;
using Relais.Server.Tests.Git;
using Relais.Server.Tests.Ssh;
using Relais.Server.Tests.Support;
using Relais.TestSupport;

namespace Relais.Server.Tests.Protection;

/// <summary>
/// Protected branches and tags in GitLab's API shapes: access level arrays, grants to users and deploy keys (POST,
/// PATCH with <c>_destroy</c>), and grants that go with their user; protected variables reach protected tags' pipelines.
/// </summary>
public sealed class ProtectedRefApiTests
{
    [SshKeygenFact]
    public Task Grants_to_a_deploy_key_and_a_user_are_shown_patched_and_go_with_the_user() => GrantsAsync(Stores.Sqlite);

    [PostgresFact]
    public Task On_PostgreSQL_grants_are_shown_patched_and_go_with_the_user() => GrantsAsync(Stores.Postgres);

    private static async Task GrantsAsync(string store)
    {
        await using var api = await ApiFixture.StartAsync(store);
        using var dir = new TempDirectory();
        var project = await api.ProjectWithConfigAsync("demo", "job: {script: [echo]}");
        var (_, key, _) = await api.PostAsync($"projects/{project}/deploy_keys", Json(new { title = "ci", key = await SshKeygen.NewPublicKeyAsync(dir, "ed25519"), can_push = true }));
        var keyId = key.GetProperty("id").GetInt64();
        var readOnly = (await api.PostAsync($"projects/{project}/deploy_keys", Json(new { title = "ro", key = await SshKeygen.NewPublicKeyAsync(dir, "ed25519") }))).Json.GetProperty("id").GetInt64();

        var (status, branch, _) = await api.PostAsync($"projects/{project}/protected_branches", Json(new
        {
            name = "deploy",
            push_access_level = 0,
            allowed_to_push = new object[] { new { deploy_key_id = keyId }, new { user_id = 2 } },
        }));
        Assert.Equal(HttpStatusCode.Created, status);
        var push = branch.GetProperty("push_access_levels");
        Assert.Equal(3, push.GetArrayLength());
        Assert.Equal(("No one", 0), (push[0].GetProperty("access_level_description").GetString(), push[0].GetProperty("access_level").GetInt32()));
        Assert.Equal((keyId, "Deploy key"), (push[1].GetProperty("deploy_key_id").GetInt64(), push[1].GetProperty("access_level_description").GetString()));
        Assert.Equal((2, "alice"), (push[2].GetProperty("user_id").GetInt64(), push[2].GetProperty("access_level_description").GetString()));
        Assert.Equal(JsonValueKind.Null, push[0].GetProperty("group_id").ValueKind);
        Assert.Equal(40, branch.GetProperty("unprotect_access_levels")[0].GetProperty("access_level").GetInt32());
        Assert.False(branch.GetProperty("code_owner_approval_required").GetBoolean());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await api.PostAsync($"projects/{project}/protected_branches", Json(new { name = "x", allowed_to_push = new[] { new { deploy_key_id = readOnly } } }))).Status);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await api.PostAsync($"projects/{project}/protected_branches", Json(new { name = "x", allowed_to_push = new[] { new { user_id = 999 } } }))).Status);

        var grant = push[1].GetProperty("id").GetInt64();
        var (patched, after, _) = await api.SendAsync(HttpMethod.Patch, $"projects/{project}/protected_branches/deploy", json: Json(new
        {
            allow_force_push = true,
            merge_access_level = 30,
            allowed_to_push = new object[] { new { id = grant, _destroy = true } },
        }));
        Assert.Equal(HttpStatusCode.OK, patched);
        Assert.True(after.GetProperty("allow_force_push").GetBoolean());
        Assert.Equal(30, after.GetProperty("merge_access_levels")[0].GetProperty("access_level").GetInt32());
        Assert.Equal([null, 2L], after.GetProperty("push_access_levels").EnumerateArray().Skip(1).Select(e => e.GetProperty("user_id").ValueKind == JsonValueKind.Null ? (long?)null : e.GetProperty("user_id").GetInt64()).Prepend(null).Distinct());
        Assert.Equal(2, after.GetProperty("push_access_levels").GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, (await api.SendAsync(HttpMethod.Patch, $"projects/{project}/protected_branches/nope", json: "{}")).Status);

        // alice's grant goes with her.
        Assert.Equal(HttpStatusCode.NoContent, (await api.SendAsync(HttpMethod.Delete, "users/2")).Status);
        var rule = (await api.Server.Host.Stores.Projects.ListProtectedBranchesAsync(project)).Single(b => b.Name == "deploy");
        Assert.Empty(rule.Grants);
        Assert.Equal(HttpStatusCode.NoContent, (await api.SendAsync(HttpMethod.Delete, $"projects/{project}/protected_branches/deploy")).Status);
    }

    [Fact]
    public async Task Protected_variables_reach_pipelines_of_protected_tags_only()
    {
        await using var api = await ApiFixture.StartAsync();
        var (_, runner) = await api.Server.RegisterRunnerAsync();
        using var git = GitClient.Init();
        git.Write(".gitlab-ci.yml", "job:\n  script: [echo]\n  rules: [{if: $CI_COMMIT_TAG}]\n");
        git.Commit("first");
        git.Ok("remote", "add", "origin", $"http://root:{TestServer.RootToken}@127.0.0.1:{api.Server.Port}/root/demo.git");
        git.Ok("push", "--quiet", "origin", "main");
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsync("projects/root%2Fdemo/variables", """{"key":"DEPLOY_TOKEN","value":"tok3n-value","protected":true}""")).Status);
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsync("projects/root%2Fdemo/protected_tags", """{"name":"release-*"}""")).Status);
        var (_, one, _) = await api.GetAsync("projects/root%2Fdemo/protected_tags/release-*");
        Assert.Equal(40, one.GetProperty("create_access_levels")[0].GetProperty("access_level").GetInt32());

        git.Ok("tag", "release-1");
        git.Ok("push", "--quiet", "origin", "release-1");
        var tagged = (await api.Server.RequestJobAsync(runner))!;
        Assert.Equal("release-1", tagged.GitInfo.Ref);
        Assert.Contains(tagged.Variables, v => v.Key == "DEPLOY_TOKEN");
        Assert.Contains(tagged.Variables, v => v.Key == "CI_COMMIT_REF_PROTECTED" && v.Value == "true");
        using (await api.Server.UpdateJobAsync(tagged, "success", 0))
        {
        }

        git.Ok("tag", "v1");
        git.Ok("push", "--quiet", "origin", "v1");
        var plain = (await api.Server.RequestJobAsync(runner))!;
        Assert.Equal("v1", plain.GitInfo.Ref);
        Assert.DoesNotContain(plain.Variables, v => v.Key == "DEPLOY_TOKEN");
    }

    [Fact]
    public async Task The_commits_and_files_api_follow_the_protected_branch_rules()
    {
        await using var api = await ApiFixture.StartAsync();
        var project = (await api.PostAsync("projects", """{"name":"demo"}""", ApiFixture.AliceToken)).Json.GetProperty("id").GetInt64();
        var file = $"projects/{project}/repository/files/README.md";
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsync(file, Json(new { branch = "main", content = "one", commit_message = "first" }), ApiFixture.AliceToken)).Status);

        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Patch, $"projects/{project}/protected_branches/main", ApiFixture.AliceToken, """{"push_access_level": 0}""")).Status);
        var (status, refused, _) = await api.SendAsync(HttpMethod.Put, file, ApiFixture.AliceToken, Json(new { branch = "main", content = "two", commit_message = "second" }));
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("403 Forbidden - You are not allowed to push into this branch", refused.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await api.PostAsync($"projects/{project}/repository/commits", Json(new
        {
            branch = "main",
            commit_message = "third",
            actions = new[] { new { action = "create", file_path = "x.txt", content = "x" } },
        }), ApiFixture.AliceToken)).Status);
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Put, file, ApiFixture.AliceToken, Json(new { branch = "feature", start_branch = "main", content = "two", commit_message = "on a branch" }))).Status);
    }

    private static string Json(object value) => JsonSerializer.Serialize(value);
}

using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Api;

/// <summary>
/// A project's view carries what clients read (issue #14): <c>namespace</c> with its real id, <c>_links</c>, the caller's
/// <c>permissions</c>, <c>empty_repo</c> and <c>ci_job_token_scope_enabled</c>.
/// </summary>
public sealed class ProjectShapeTests
{
    [PythonGitLabFact]
    public async Task Python_gitlab_reads_namespace_links_permissions_and_empty_repo()
    {
        await using var repo = await RepositoryApiFixture.StartAsync();
        await repo.Api.PostAsync("projects", """{"name": "empty", "visibility": "public"}""");
        var script = """
            p = gl.projects.get("root/demo")
            e = gl.projects.get("root/empty")
            print(json.dumps({"ns": p.namespace, "links": p.attributes["_links"], "perm": p.permissions, "empty": [p.empty_repo, e.empty_repo],
                              "scope": p.ci_job_token_scope_enabled, "other": e.permissions}))
            """;

        var root = await PythonGitLab.RunAsync(repo.Api.Server.Host.ExternalUrl, TestServer.RootToken, script.Replace("e.permissions", "None", StringComparison.Ordinal));
        var alice = await PythonGitLab.RunAsync(repo.Api.Server.Host.ExternalUrl, ApiFixture.AliceToken, """
            e = gl.projects.get("root/empty")
            print(json.dumps(e.permissions))
            """);

        Assert.Equal("user", root.GetProperty("ns").GetProperty("kind").GetString());
        Assert.Equal(1, root.GetProperty("ns").GetProperty("id").GetInt64()); // root's own namespace: root's user id
        Assert.Equal($"{repo.Api.Server.Host.ExternalUrl}/api/v4/projects/{repo.Project}", root.GetProperty("links").GetProperty("self").GetString());
        Assert.EndsWith("/repository/branches", root.GetProperty("links").GetProperty("repo_branches").GetString(), StringComparison.Ordinal);
        Assert.Equal(50, root.GetProperty("perm").GetProperty("project_access").GetProperty("access_level").GetInt32());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, root.GetProperty("perm").GetProperty("group_access").ValueKind);
        Assert.Equal([false, true], root.GetProperty("empty").EnumerateArray().Select(e => e.GetBoolean()));
        Assert.True(root.GetProperty("scope").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, alice.GetProperty("project_access").ValueKind); // a public project, no role
    }
}

using System.Net;
using Relais.Server.Tests.Git;
using Relais.Server.Web;

namespace Relais.Server.Tests.Roles;

/// <summary>
/// A project in a subgroup (<c>acme/web/app</c>) end to end over real git and the web UI: push to create by a
/// Maintainer, push by a Developer, clone but no push by a Reporter, nothing for a stranger; the pipeline page at
/// its nested path.
/// </summary>
public sealed class NestedProjectGitTests
{
    private static string Url(Team team, string user, string project = "acme/web/app") =>
        $"http://{user}:{Team.Token(user)}@127.0.0.1:{team.Api.Server.Port}/{project}.git";

    [Fact]
    public async Task Members_push_and_clone_a_nested_project_by_role_and_its_pipeline_page_answers_at_the_nested_path()
    {
        await using var team = await Team.StartAsync();
        Assert.Equal(HttpStatusCode.Created, (await team.AsAsync("root", HttpMethod.Post, "groups", $$"""{"name":"Web","path":"web","parent_id":{{team.GroupId}}}""")).Status);

        using var git = GitClient.Init();
        git.Write(".gitlab-ci.yml", "build:\n  script: [echo hi]\n");
        git.Commit("first");

        // A Developer may not create a project in the group; a Maintainer may (push to create).
        var (refused, _, _) = git.Run("push", "--quiet", Url(team, "dev"), "main");
        Assert.NotEqual(0, refused);
        git.Ok("push", "--quiet", Url(team, "maint"), "main");
        var project = await team.Api.Server.Host.Stores.Projects.FindProjectAsync("acme/web/app");
        Assert.NotNull(project);

        // The Developer pushes a branch (main is protected for Maintainers); the Reporter clones and cannot push.
        git.Ok("push", "--quiet", Url(team, "dev"), "main:feature");
        using var clone = new GitClient();
        clone.Ok("clone", "--quiet", Url(team, "rep"), ".");
        Assert.True(File.Exists(Path.Combine(clone.Dir, ".gitlab-ci.yml")));
        var (pushed, _, stderr) = clone.Run("push", "origin", "HEAD:refs/heads/rep");
        Assert.NotEqual(0, pushed);
        Assert.Contains("403", stderr, StringComparison.Ordinal);
        var (stranger, _, strangerErr) = new GitClient().Run("clone", "--quiet", Url(team, "stranger"), "x");
        Assert.NotEqual(0, stranger);
        Assert.Contains("not found", strangerErr, StringComparison.OrdinalIgnoreCase);

        // Two pushes, two pipelines; the web page of the first at /acme/web/app/-/pipelines/ID.
        var (_, pipelines, _) = await team.AsAsync("rep", HttpMethod.Get, "projects/acme%2Fweb%2Fapp/pipelines");
        var first = pipelines.EnumerateArray().Select(p => p.GetProperty("id").GetInt64()).Min();
        Assert.Equal(2, pipelines.GetArrayLength());
        using var page = await PageAsync(team, "rep", $"acme/web/app/-/pipelines/{first}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("build", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var list = await PageAsync(team, "rep", "acme/web/app/-/pipelines");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        using var hidden = await PageAsync(team, "stranger", $"acme/web/app/-/pipelines/{first}");
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        using var settings = await PageAsync(team, "dev", "acme/web/app/-/settings/ci_cd");
        Assert.Equal(HttpStatusCode.Forbidden, settings.StatusCode);
    }

    [Theory]
    [InlineData("/acme/web/app/-/pipelines/1", "/acme%2Fweb/app/-/pipelines/1")]
    [InlineData("/a/b/c/app.git/info/refs", "/a%2Fb%2Fc/app.git/info/refs")]
    [InlineData("/root/app/-/pipelines", null)]
    [InlineData("/root/app.git/info/refs", null)]
    [InlineData("/api/v4/projects/1/-/x", null)]
    [InlineData("/groups/acme/web/-/group_members", "/groups/acme%2Fweb/-/group_members")]
    [InlineData("/groups/acme/web", "/groups/acme%2Fweb")]
    [InlineData("/groups/acme/-/group_members", null)]
    [InlineData("/acme/web/app", "/acme%2Fweb/app")]
    [InlineData("/acme/web/app/edit", "/acme%2Fweb/app/edit")]
    [InlineData("/acme/web/app/edit/trusted", "/acme%2Fweb/app/edit/trusted")]
    [InlineData("/root/app/edit", null)]
    [InlineData("/root/app/edit/trusted", null)]
    [InlineData("/users/sign_in/x", null)]
    [InlineData("/acme/web/app/", null)]
    [InlineData("/acme//app/-/pipelines", null)]
    public void Only_project_paths_with_a_nested_namespace_are_folded(string path, string? expected)
    {
        Assert.Equal(expected, NestedProjectPaths.Rewrite(path));
    }

    private static async Task<HttpResponseMessage> PageAsync(Team team, string user, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("PRIVATE-TOKEN", Team.Token(user));
        return await team.Api.Server.Http.SendAsync(request);
    }
}

using System.Net;
using Relais.Server.Api;
using Relais.Server.Tests.Api;
using Relais.Server.Tests.Security;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Hostile;

/// <summary>Issue #12, item 6: project paths follow GitLab's slug rules (no <c>..</c>), and paging cannot overflow.</summary>
public sealed class PathAndPagingTests
{
    [Theory]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData(".hidden")]
    [InlineData("-dash")]
    [InlineData("trailing-")]
    [InlineData("a..b")]
    [InlineData("repo.git")]
    [InlineData("feed.atom")]
    [InlineData("a b")]
    public async Task Creating_a_project_with_a_traversal_or_special_path_is_refused(string path)
    {
        await using var api = await ApiFixture.StartAsync();
        var (status, body, _) = await api.PostAsync("projects", $$"""{"path":"{{path}}"}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(ProjectPaths.Rules, body.GetProperty("message").GetProperty("path")[0].GetString());
        var (_, list, _) = await api.GetAsync("projects");
        Assert.Equal(0, list.GetArrayLength());
    }

    [Fact]
    public async Task A_project_name_of_dots_is_refused_and_a_name_with_specials_becomes_a_clean_path()
    {
        await using var api = await ApiFixture.StartAsync();
        Assert.Equal(HttpStatusCode.BadRequest, (await api.PostAsync("projects", """{"name":".."}""")).Status);
        var (status, project, _) = await api.PostAsync("projects", """{"name":"  My -- App! "}""");
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("root/my-app", project.GetProperty("path_with_namespace").GetString());
    }

    [Fact]
    public async Task A_push_cannot_create_a_project_with_a_path_the_API_refuses()
    {
        await using var f = await SecurityFixture.StartAsync();
        Assert.Equal(HttpStatusCode.NotFound, await f.GitInfoRefsAsync("root/feed.atom", "root", TestServer.RootToken, "git-receive-pack"));
        Assert.Equal(HttpStatusCode.NotFound, await f.GitInfoRefsAsync("root/a..b", "root", TestServer.RootToken, "git-receive-pack"));
        Assert.False(Directory.Exists(Path.Combine(f.Server.DataDir, "repos", "root", "feed.atom.git")));
        await f.EnsureRepositoryAsync("root/fine-name");
    }

    [Theory]
    [InlineData("projects?page=2147483647")]
    [InlineData("projects?page=2147483647&per_page=100")]
    [InlineData("projects/1/pipelines?page=2147483647")]
    [InlineData("projects/1/jobs?page=2147483647&per_page=100")]
    [InlineData("audit_events?page=2147483647")]
    public async Task The_last_int_page_is_an_empty_page_not_an_overflow(string path)
    {
        await using var api = await ApiFixture.StartAsync();
        var project = await api.ProjectWithConfigAsync("demo", "job: { script: x }");
        Assert.Equal(1, project);
        await api.RunPipelineAsync(project);
        var (status, body, response) = await api.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(0, body.GetArrayLength());
        Assert.Equal("2147483647", response.Headers.GetValues("X-Page").Single());
    }

    [Theory]
    [InlineData("page=0", "1", "20")]
    [InlineData("page=-5", "1", "20")]
    [InlineData("page=abc&per_page=xyz", "1", "20")]
    [InlineData("page=99999999999999999999", "1", "20")]
    [InlineData("per_page=0", "1", "20")]
    [InlineData("per_page=-1", "1", "20")]
    [InlineData("per_page=1000", "1", "100")]
    [InlineData("page=2&per_page=2147483647", "2", "100")]
    public async Task Garbage_paging_values_take_GitLabs_defaults(string query, string page, string perPage)
    {
        await using var api = await ApiFixture.StartAsync();
        var (status, _, response) = await api.GetAsync("projects?" + query);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(page, response.Headers.GetValues("X-Page").Single());
        Assert.Equal(perPage, response.Headers.GetValues("X-Per-Page").Single());
    }
}

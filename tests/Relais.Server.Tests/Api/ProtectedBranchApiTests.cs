using System.Net;
using Relais.Server.Pipelines;

namespace Relais.Server.Tests.Api;

public sealed class ProtectedBranchApiTests
{
    [Fact]
    public async Task The_default_branch_is_protected_and_patterns_decide_which_pipelines_get_protected_variables()
    {
        await using var api = await ApiFixture.StartAsync();
        var project = await api.ProjectWithConfigAsync("demo", "job: {script: [echo]}");
        var (_, runner) = await api.Server.RegisterRunnerAsync();
        await api.PostAsync($"projects/{project}/variables", """{"key":"DEPLOY_TOKEN","value":"tok3n-value","protected":true}""");

        var (_, list, _) = await api.GetAsync($"projects/{project}/protected_branches");
        Assert.Equal("main", Assert.Single(list.EnumerateArray()).GetProperty("name").GetString());

        var (created, branch, _) = await api.PostAsync($"projects/{project}/protected_branches", """{"name":"release/*","push_access_level":"0"}""");
        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal(0, branch.GetProperty("push_access_levels")[0].GetProperty("access_level").GetInt32());
        Assert.Equal(40, branch.GetProperty("merge_access_levels")[0].GetProperty("access_level").GetInt32());
        Assert.Equal(HttpStatusCode.Conflict, (await api.PostAsync($"projects/{project}/protected_branches", """{"name":"release/*"}""")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.PostAsync($"projects/{project}/protected_branches", """{"push_access_level":"40"}""")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.PostAsync($"projects/{project}/protected_branches", """{"name":"x","push_access_level":"7"}""")).Status);
        Assert.Equal("release/*", (await api.GetAsync($"projects/{project}/protected_branches/release%2F*")).Json.GetProperty("name").GetString());

        await api.RunPipelineAsync(project, "release/1.0");
        Assert.Contains((await api.Server.RequestJobAsync(runner))!.Variables, v => v.Key == "DEPLOY_TOKEN");

        Assert.Equal(HttpStatusCode.NoContent, (await api.SendAsync(HttpMethod.Delete, $"projects/{project}/protected_branches/main")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.SendAsync(HttpMethod.Delete, $"projects/{project}/protected_branches/main")).Status);
        await api.RunPipelineAsync(project, "main");
        var onMain = (await api.Server.RequestJobAsync(runner))!;
        Assert.DoesNotContain(onMain.Variables, v => v.Key == "DEPLOY_TOKEN");
        Assert.Contains(onMain.Variables, v => v.Key == "CI_COMMIT_REF_PROTECTED" && v.Value == "false");

        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"projects/{project}/protected_branches", ApiFixture.AliceToken)).Status);
    }

    [Theory]
    [InlineData("main", "main", true)]
    [InlineData("main", "main2", false)]
    [InlineData("release/*", "release/1.0", true)]
    [InlineData("release/*", "release/a/b", true)]
    [InlineData("release/*", "releases/1.0", false)]
    [InlineData("*-stable", "14-stable", true)]
    [InlineData("*-stable", "stable", false)]
    [InlineData("v*.*", "v1.2", true)]
    [InlineData("v*.*", "v12", false)]
    [InlineData("*", "anything/at/all", true)]
    public void Patterns_match_branch_names_like_gitlab(string pattern, string branch, bool matches) =>
        Assert.Equal(matches, ProtectedRefs.Matches(pattern, branch));

    [Fact]
    public void Tags_are_not_protected_by_branch_rules() =>
        Assert.False(ProtectedRefs.IsProtected([new() { Name = "*" }], [], "v1.0", isTag: true));
}

using System.Net;
using Relais.Pipelines.Context;

namespace Relais.Server.Tests.Api;

/// <summary>
/// What reads the repository (real git, pushed over HTTP): the <c>branches</c> and <c>tags</c> scopes list the newest
/// pipeline of each branch or tag that exists, and <c>pipelines/latest</c> is the newest pipeline of the ref's
/// current commit (a newer pipeline of an older commit does not count), as GitLab.
/// </summary>
public sealed class PipelineRefScopeTests
{
    private const string Yaml = "build: {script: [x]}";

    [Fact]
    public async Task Branch_and_tag_scopes_and_latest_follow_the_repository()
    {
        await using var repo = await RepositoryApiFixture.StartAsync();
        var api = repo.Api;
        repo.Git.Ok("push", "--quiet", repo.Remote, repo.First + ":refs/tags/v1");
        var project = (await api.Server.Host.Stores.Projects.GetProjectAsync(repo.Project))!;
        var (root, _) = await PipelineListFilterTests.UsersAsync(api);
        var mainHead = await PipelineListFilterTests.RunAsync(api, project, Yaml, "main", PipelineSource.Api, root, sha: repo.Second);
        var mainOld = await PipelineListFilterTests.RunAsync(api, project, Yaml, "main", PipelineSource.Api, root, sha: repo.First);
        var feature = await PipelineListFilterTests.RunAsync(api, project, Yaml, "feature/one", PipelineSource.Api, root, sha: repo.First);
        await PipelineListFilterTests.RunAsync(api, project, Yaml, "gone", PipelineSource.Api, root, sha: repo.First);
        var tag = await PipelineListFilterTests.RunAsync(api, project, Yaml, "v1", PipelineSource.Api, root, tag: true, sha: repo.First);
        var list = $"projects/{repo.Project}/pipelines";

        Assert.Equal([feature, mainOld], await IdsAsync(api, list + "?scope=branches"));
        Assert.Equal([tag], await IdsAsync(api, list + "?scope=tags"));
        Assert.Equal([feature], await IdsAsync(api, list + "?scope=branches&ref=feature/one"));

        var (_, latest, _) = await api.GetAsync($"projects/{repo.Project}/pipelines/latest");
        Assert.Equal(mainHead, latest.GetProperty("id").GetInt64());
        Assert.Equal(feature, (await api.GetAsync($"projects/{repo.Project}/pipelines/latest?ref=feature%2Fone")).Json.GetProperty("id").GetInt64());
        Assert.Equal(tag, (await api.GetAsync($"projects/{repo.Project}/pipelines/latest?ref=v1")).Json.GetProperty("id").GetInt64());
        Assert.Equal(HttpStatusCode.Forbidden, (await api.GetAsync($"projects/{repo.Project}/pipelines/latest?ref=gone")).Status);
    }

    private static async Task<List<long>> IdsAsync(ApiFixture api, string path)
    {
        var (status, json, _) = await api.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, status);
        return [.. json.EnumerateArray().Select(p => p.GetProperty("id").GetInt64())];
    }
}

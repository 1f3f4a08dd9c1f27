using System.Net;
using System.Text.Json;
using Relais.Server.Api;
using Relais.Server.Registry;
using Relais.Server.Tests.Api;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Registry;

/// <summary>
/// The container registry API in GitLab's shapes against a real registry: python-gitlab's registry managers, the
/// statuses and messages of each role, pagination, and the answer of a server whose registry is off.
/// </summary>
public sealed class RegistryApiTests
{
    private static readonly DateTimeOffset Built = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    [RegistryPythonGitLabFact]
    public async Task Python_gitlab_lists_repositories_and_tags_reads_a_tag_and_deletes_a_tag_and_a_repository()
    {
        await using var f = await RegistryFixture.StartAsync();
        var project = await f.Api.ProjectWithConfigAsync("demo", "build:\n  script: [echo hi]\n");
        var image = await PushAsync(f, project, "", new byte[1000], "latest", "v1");
        await PushAsync(f, project, "cache", [1, 2, 3], "c1");
        using var client = new RegistryClient(f.Setup);
        var config = (await client.GetTagAsync("root/demo", "v1"))!.ConfigDigest!;

        var result = await PythonGitLab.RunAsync(f.Server.Host.ExternalUrl, TestServer.RootToken, $$"""
            p = gl.projects.get({{project}})
            repos = p.repositories.list(tags=True, tags_count=True)
            root = [r for r in repos if r.name == ''][0]
            cache = [r for r in repos if r.name == 'cache'][0]
            listed = [t.name for t in root.tags.list()]
            tag = root.tags.get('v1')
            root.tags.delete('latest')
            after = [t.name for t in root.tags.list()]
            single = gl.registry_repositories.get(root.id, tags=True, tags_count=True, size=True)
            p.repositories.delete(cache.id)
            remaining = [r.name for r in p.repositories.list()]
            print(json.dumps({'repos': [r.attributes for r in repos], 'listed': listed, 'tag': tag.attributes, 'after': after,
                              'single': single.attributes, 'remaining': remaining}))
            """);

        var repos = result.GetProperty("repos").EnumerateArray().ToList();
        Assert.Equal(["", "cache"], repos.Select(r => r.GetProperty("name").GetString()));
        var root = repos[0];
        Assert.Equal(("root/demo", f.Setup.Address + "/root/demo", project, 2), (S(root, "path"), S(root, "location"), root.GetProperty("project_id").GetInt64(), root.GetProperty("tags_count").GetInt32()));
        Assert.Equal(["latest", "v1"], root.GetProperty("tags").EnumerateArray().Select(t => S(t, "name")));
        Assert.Equal(f.Setup.Address + "/root/demo:v1", S(root.GetProperty("tags")[1], "location"));
        Assert.Equal(JsonValueKind.Null, root.GetProperty("status").ValueKind);
        Assert.EndsWith($"/api/v4/projects/{project}/registry/repositories/{root.GetProperty("id").GetInt64()}", S(root, "delete_api_path"), StringComparison.Ordinal);
        Assert.Equal("root/demo/cache", S(repos[1], "path"));
        Assert.Equal(["latest", "v1"], result.GetProperty("listed").EnumerateArray().Select(t => t.GetString()));
        var tag = result.GetProperty("tag");
        Assert.Equal(("v1", "root/demo:v1", image), (S(tag, "name"), S(tag, "path"), S(tag, "digest")));
        Assert.Equal((config["sha256:".Length..], config["sha256:".Length..][..9]), (S(tag, "revision"), S(tag, "short_revision")));
        Assert.Equal("2026-11-30T12:00:00.000Z", S(tag, "created_at"));
        Assert.InRange(tag.GetProperty("total_size").GetInt64(), 1001, 1200);
        Assert.Equal(["v1"], result.GetProperty("after").EnumerateArray().Select(t => t.GetString()));
        var single = result.GetProperty("single");
        Assert.Equal(1, single.GetProperty("tags_count").GetInt32());
        Assert.Equal(tag.GetProperty("total_size").GetInt64(), single.GetProperty("size").GetInt64());
        Assert.Equal([""], result.GetProperty("remaining").EnumerateArray().Select(t => t.GetString()));
        Assert.Empty(await client.ListTagsAsync("root/demo/cache")); // the repository's tags went with it
        Assert.Equal(image, (await client.GetTagAsync("root/demo", "v1"))!.Digest); // deleting latest kept v1, the same image
    }

    [RegistryTheory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task Roles_statuses_messages_and_pagination_are_gitlabs(string store)
    {
        await using var f = await RegistryFixture.StartAsync(store);
        var api = f.Api;
        var project = await api.ProjectWithConfigAsync("demo", "build:\n  script: [echo hi]\n");
        var other = await api.ProjectWithConfigAsync("other", "build:\n  script: [echo hi]\n");
        await PushAsync(f, project, "", [4, 5, 6], "a", "b", "c");
        var repository = (await f.Server.Host.Stores.ContainerRepositories.ListAsync(project)).Single().Id;
        await PushAsync(f, other, "", [7], "x");
        var foreign = (await f.Server.Host.Stores.ContainerRepositories.ListAsync(other)).Single().Id;
        var tags = $"projects/{project}/registry/repositories/{repository}/tags";

        // Pagination: GitLab's headers and Link, on tags and repositories.
        var (status, page, response) = await api.GetAsync(tags + "?per_page=2");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["a", "b"], page.EnumerateArray().Select(t => S(t, "name")));
        Assert.Equal(("3", "2"), (response.Headers.GetValues("X-Total").Single(), response.Headers.GetValues("X-Total-Pages").Single()));
        Assert.Contains("page=2&per_page=2>; rel=\"next\"", response.Headers.GetValues("Link").Single(), StringComparison.Ordinal);
        (status, page, response) = await api.GetAsync($"projects/{project}/registry/repositories?per_page=1");
        Assert.Equal((HttpStatusCode.OK, 1, "1"), (status, page.GetArrayLength(), response.Headers.GetValues("X-Total").Single()));
        Assert.False(page[0].TryGetProperty("tags_count", out _)); // only when asked

        // Not found: a tag, a repository of another project, an unknown repository.
        Assert.Equal((HttpStatusCode.NotFound, "404 Tag Not Found"), Message(await api.GetAsync(tags + "/nope")));
        Assert.Equal((HttpStatusCode.NotFound, "404 Not found"), Message(await api.GetAsync($"projects/{project}/registry/repositories/{foreign}/tags")));
        Assert.Equal((HttpStatusCode.NotFound, "404 Not found"), Message(await api.GetAsync("registry/repositories/999999")));

        // A stranger: the private project does not exist; anonymous callers are asked to sign in where GitLab requires it.
        Assert.Equal((HttpStatusCode.NotFound, "404 Project Not Found"), Message(await api.GetAsync($"projects/{project}/registry/repositories", ApiFixture.AliceToken)));
        Assert.Equal((HttpStatusCode.NotFound, "404 Not found"), Message(await api.GetAsync($"registry/repositories/{repository}", ApiFixture.AliceToken)));
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"projects/{project}/registry/repositories", null)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync($"registry/repositories/{repository}", null)).Status);

        // A Reporter reads but deletes nothing; a Developer deletes a tag (200), a Maintainer the repository (202).
        var alice = (await f.Server.Host.Stores.Identity.FindSignInAsync("alice"))!.Id;
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsync($"projects/{project}/members", $$"""{"user_id":{{alice}},"access_level":20}""")).Status);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync(tags + "/a", ApiFixture.AliceToken)).Status);
        (status, var one, _) = await api.GetAsync($"registry/repositories/{repository}", ApiFixture.AliceToken);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(one.TryGetProperty("delete_api_path", out _));
        Assert.Equal((HttpStatusCode.Forbidden, "403 Forbidden"), Message(await api.SendAsync(HttpMethod.Delete, tags + "/a", ApiFixture.AliceToken)));
        Assert.Equal(HttpStatusCode.Forbidden, (await api.SendAsync(HttpMethod.Delete, $"projects/{project}/registry/repositories/{repository}", ApiFixture.AliceToken)).Status);
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Put, $"projects/{project}/members/{alice}", json: """{"access_level":30}""")).Status);
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Delete, tags + "/a", ApiFixture.AliceToken)).Status);
        Assert.Equal((HttpStatusCode.NotFound, "404 Tag Not Found"), Message(await api.SendAsync(HttpMethod.Delete, tags + "/a", ApiFixture.AliceToken)));
        Assert.Equal(HttpStatusCode.Forbidden, (await api.SendAsync(HttpMethod.Delete, $"projects/{project}/registry/repositories/{repository}", ApiFixture.AliceToken)).Status);
        Assert.Equal(HttpStatusCode.Accepted, (await api.SendAsync(HttpMethod.Delete, $"projects/{project}/registry/repositories/{repository}")).Status);
        Assert.Null(await f.Server.Host.Stores.ContainerRepositories.GetAsync(repository));
        using var client = new RegistryClient(f.Setup);
        Assert.Empty(await client.ListTagsAsync("root/demo"));
    }

    [RegistryFact]
    public async Task A_groups_repositories_are_those_of_its_projects_the_caller_may_read()
    {
        await using var f = await RegistryFixture.StartAsync();
        var (status, group, _) = await f.Api.PostAsync("groups", """{"name":"Acme","path":"acme"}""");
        Assert.Equal(HttpStatusCode.Created, status);
        var groupId = group.GetProperty("id").GetInt64();
        (status, var created, _) = await f.Api.PostAsync("projects", $$"""{"name":"app","namespace_id":{{groupId}}}""");
        Assert.Equal(HttpStatusCode.Created, status);
        var app = created.GetProperty("id").GetInt64();
        await PushAsync(f, app, "", [1], "latest");
        await PushAsync(f, app, "tools", [2], "v1");

        var (listed, list, _) = await f.Api.GetAsync($"groups/{groupId}/registry/repositories");

        Assert.Equal(HttpStatusCode.OK, listed);
        Assert.Equal(["acme/app", "acme/app/tools"], list.EnumerateArray().Select(r => S(r, "path")));
        Assert.All(list.EnumerateArray(), r => Assert.Equal(app, r.GetProperty("project_id").GetInt64()));
        Assert.Equal((HttpStatusCode.NotFound, "404 Group Not Found"), Message(await f.Api.GetAsync($"groups/{groupId}/registry/repositories", ApiFixture.AliceToken)));
    }

    [RegistryFact]
    public async Task A_jobs_ci_job_token_reads_its_projects_repositories_and_tags()
    {
        await using var f = await RegistryFixture.StartAsync();
        var project = await f.Api.ProjectWithConfigAsync("demo", "build:\n  script: [echo hi]\n");
        await PushAsync(f, project, "", [9], "latest");
        var repository = (await f.Server.Host.Stores.ContainerRepositories.ListAsync(project)).Single().Id;
        var (_, runner) = await f.Server.RegisterRunnerAsync();
        await f.Api.RunPipelineAsync(project);
        var job = (await f.Server.RequestJobAsync(runner))!;

        async Task<HttpStatusCode> WithJobToken(string path)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "api/v4/" + path);
            request.Headers.Add("JOB-TOKEN", job.Token);
            using var response = await f.Server.Http.SendAsync(request);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await WithJobToken($"projects/{project}/registry/repositories"));
        Assert.Equal(HttpStatusCode.OK, await WithJobToken($"projects/{project}/registry/repositories/{repository}/tags/latest"));
    }

    [Fact]
    public async Task Without_a_registry_the_routes_answer_404_saying_the_registry_is_disabled()
    {
        await using var api = await ApiFixture.StartAsync();
        var project = await api.ProjectWithConfigAsync("demo", "build:\n  script: [echo hi]\n");

        Assert.Equal((HttpStatusCode.NotFound, ContainerRegistryOffEndpoints.Message), Message(await api.GetAsync($"projects/{project}/registry/repositories")));
        Assert.Equal((HttpStatusCode.NotFound, ContainerRegistryOffEndpoints.Message), Message(await api.GetAsync($"projects/{project}/registry/repositories/1/tags/latest")));
        Assert.Equal((HttpStatusCode.NotFound, ContainerRegistryOffEndpoints.Message), Message(await api.GetAsync("registry/repositories/1")));
        Assert.Equal((HttpStatusCode.NotFound, "404 Project Not Found"), Message(await api.GetAsync($"projects/{project}/registry/repositories", ApiFixture.AliceToken)));
        using var page = await api.Server.Http.GetAsync("root/demo/container_registry");
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
    }

    /// <summary>Pushes a small image as <paramref name="tags"/> of the project's repository <paramref name="name"/> and records the repository, as a push token would.</summary>
    internal static async Task<string> PushAsync(RegistryFixture f, long projectId, string name, byte[] layer, params string[] tags)
    {
        var project = (await f.Server.Host.Stores.Projects.GetProjectAsync(projectId))!;
        var record = await f.Server.Host.Stores.ContainerRepositories.EnsureAsync(projectId, name, DateTimeOffset.UtcNow);
        using var client = new RegistryClient(f.Setup);
        return await SyntheticImages.PushAsync(client, record.PathIn(project.Path), layer, Built, tags);
    }

    private static string? S(JsonElement e, string name) => e.GetProperty(name).GetString();

    private static (HttpStatusCode, string?) Message((HttpStatusCode Status, JsonElement Json, HttpResponseMessage Response) answer) =>
        (answer.Status, answer.Json.ValueKind == JsonValueKind.Object && answer.Json.TryGetProperty("message", out var m) ? m.GetString() : answer.Json.ToString());
}

/// <summary>A fact that needs both a <c>docker-registry</c> and python-gitlab's library; skipped, saying which is missing, otherwise.</summary>
public sealed class RegistryPythonGitLabFactAttribute : FactAttribute
{
    public RegistryPythonGitLabFactAttribute()
    {
        Skip = RegistryProcess.SkipReason ?? (PythonGitLab.Available ? null : "python-gitlab (Debian packages gitlab-cli and python3-gitlab) is not installed");
    }
}

/// <summary>A theory that is skipped, with the reason, where Debian's <c>docker-registry</c> is not installed.</summary>
public sealed class RegistryTheoryAttribute : TheoryAttribute
{
    public RegistryTheoryAttribute()
    {
        Skip = RegistryProcess.SkipReason;
    }
}

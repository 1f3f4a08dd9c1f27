using System.Net;
using Relais.Server.Registry;
using Relais.Server.Registry.Cleanup;
using Relais.Server.Tests.Api;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Registry;

/// <summary>
/// <c>DELETE /projects/:id/registry/repositories/:repository_id/tags</c> against a real registry: python-gitlab's
/// <c>delete_in_bulk</c>, GitLab's errors, Maintainer only, once an hour per repository.
/// </summary>
public sealed class BulkTagDeleteTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    [RegistryPythonFact]
    public async Task Python_gitlabs_delete_in_bulk_deletes_in_the_background_what_the_rules_choose()
    {
        await using var f = await RegistryFixture.StartAsync();
        var (project, repository) = await RepositoryAsync(f, "demo");
        using var client = new RegistryClient(f.Setup);
        await SyntheticImages.PushAsync(client, "root/demo", [1], Now.AddDays(-30), "latest", "v1");
        await SyntheticImages.PushAsync(client, "root/demo", [2], Now.AddDays(-20), "v2", "stable");
        await SyntheticImages.PushAsync(client, "root/demo", [3], Now.AddDays(-10), "v3");
        await SyntheticImages.PushAsync(client, "root/demo", [4], Now.AddHours(-1), "v4");

        await PythonGitLab.RunAsync(f.Server.Host.ExternalUrl, TestServer.RootToken, $$"""
            from gitlab.v4.objects import ProjectRegistryRepository
            project = gl.projects.get({{project}}, lazy=True)
            repository = ProjectRegistryRepository(project.repositories, {"id": {{repository}}, "project_id": {{project}}})
            repository.tags.delete_in_bulk(name_regex_delete=".*", name_regex_keep="stable", keep_n=1, older_than="2d")
            print(json.dumps(True))
            """);

        // v4 is the newest (keep_n), stable is kept by name, latest never goes; v1..v3 are older than two days.
        Assert.Equal(["latest", "stable", "v4"], await TagsEventuallyAsync(client, "root/demo", 3));
    }

    [RegistryFact]
    public async Task Gitlabs_errors_and_roles_and_one_request_an_hour_per_repository()
    {
        await using var f = await RegistryFixture.StartAsync();
        var (project, repository) = await RepositoryAsync(f, "demo");
        var (_, other) = await RepositoryAsync(f, "other");
        var tags = $"projects/{project}/registry/repositories/{repository}/tags";

        var missing = await f.Api.SendAsync(HttpMethod.Delete, tags);
        var badRegex = await f.Api.SendAsync(HttpMethod.Delete, tags + "?name_regex_delete=%5B");
        var foreign = await f.Api.SendAsync(HttpMethod.Delete, $"projects/{project}/registry/repositories/{other}/tags?name_regex_delete=.*");
        await AddMemberAsync(f.Api, project, "alice", 30);
        var developer = await f.Api.SendAsync(HttpMethod.Delete, tags + "?name_regex_delete=.*", ApiFixture.AliceToken);
        var first = await f.Api.SendAsync(HttpMethod.Delete, tags + "?name_regex=.*&keep_n=5");
        var again = await f.Api.SendAsync(HttpMethod.Delete, tags + "?name_regex_delete=.*");

        Assert.Equal(HttpStatusCode.BadRequest, missing.Status);
        Assert.Equal("name_regex, name_regex_delete are missing, at least one parameter must be provided", missing.Json.GetProperty("error").GetString());
        Assert.StartsWith("name_regex_delete is an invalid regexp: ", badRegex.Json.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, foreign.Status);
        Assert.Equal(HttpStatusCode.Forbidden, developer.Status);
        Assert.Equal(HttpStatusCode.Accepted, first.Status);
        Assert.Equal(HttpStatusCode.BadRequest, again.Status);
        Assert.Equal("400 Bad request - " + BulkTagDeleteEndpoint.AlreadyRequested, again.Json.GetProperty("message").GetString());
    }

    /// <summary>Creates root/NAME and records its image repository (as a push token would).</summary>
    internal static async Task<(long Project, long Repository)> RepositoryAsync(RegistryFixture f, string name)
    {
        var (status, json, _) = await f.Api.PostAsync("projects", $$"""{"name":"{{name}}"}""");
        Assert.Equal(HttpStatusCode.Created, status);
        var project = json.GetProperty("id").GetInt64();
        var repository = await f.Server.Host.Stores.ContainerRepositories.EnsureAsync(project, "", DateTimeOffset.UtcNow);
        return (project, repository.Id);
    }

    internal static async Task AddMemberAsync(ApiFixture api, long project, string username, int level)
    {
        var (_, users, _) = await api.GetAsync("users?username=" + username);
        var (status, _, _) = await api.PostAsync($"projects/{project}/members", $$"""{"user_id": {{users[0].GetProperty("id").GetInt64()}}, "access_level": {{level}}}""");
        Assert.Equal(HttpStatusCode.Created, status);
    }

    /// <summary>
    /// The repository's tags once there are <paramref name="count"/> of them (a background delete), or after 30 s. The
    /// registry may be restarting meanwhile: a cleanup round that deleted tags runs garbage collection, which restarts it
    /// read-only and back, so a refused connection is tried again.
    /// </summary>
    internal static async Task<IReadOnlyList<string>> TagsEventuallyAsync(RegistryClient client, string repository, int count)
    {
        IReadOnlyList<string> tags = [];
        for (var i = 0; i < 300; i++)
        {
            try
            {
                tags = await client.ListTagsAsync(repository);
                if (tags.Count == count)
                {
                    return tags;
                }
            }
            catch (HttpRequestException)
            {
                // the registry is restarting for garbage collection
            }

            await Task.Delay(100);
        }

        return tags;
    }
}

/// <summary>A test that needs both a real registry and python-gitlab: skipped when either is missing.</summary>
public sealed class RegistryPythonFactAttribute : FactAttribute
{
    public RegistryPythonFactAttribute()
    {
        Skip = RegistryProcess.SkipReason ?? new PythonGitLabFactAttribute().Skip;
    }
}

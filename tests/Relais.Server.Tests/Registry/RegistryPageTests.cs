using System.Net;
using Relais.Server.Registry;
using Relais.Server.Tests.Api;
using Relais.Server.Tests.Hostile;

namespace Relais.Server.Tests.Registry;

/// <summary>The project's container registry page: repositories, tags with size, digest, build time and pull command, and the delete buttons by role.</summary>
public sealed class RegistryPageTests
{
    [RegistryFact]
    public async Task The_page_lists_repositories_and_tags_and_lets_a_developer_delete_a_tag_but_not_a_reporter()
    {
        await using var f = await RegistryFixture.StartAsync();
        var project = await f.Api.ProjectWithConfigAsync("demo", "build:\n  script: [echo hi]\n");
        var digest = await RegistryApiTests.PushAsync(f, project, "", new byte[3100], "latest", "v1");
        await RegistryApiTests.PushAsync(f, project, "cache", [1], "c1");
        var repository = (await f.Server.Host.Stores.ContainerRepositories.ListAsync(project)).First(r => r.Name.Length == 0).Id;
        using var root = await SessionClients.SignedInWithTokenAsync(f.Server, Support.TestServer.RootToken);

        var index = await root.GetStringAsync("root/demo/container_registry");
        Assert.Contains("href=\"/root/demo/container_registry\" aria-current=\"page\">Container registry</a>", index, StringComparison.Ordinal);
        Assert.Contains($"docker login -u root {f.Setup.Address}", index, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"/root/demo/container_registry/{repository}\"><code>root/demo</code></a></td><td data-label=\"Tags\">2 tags</td>", index, StringComparison.Ordinal);
        Assert.Contains("<code>root/demo/cache</code></a></td><td data-label=\"Tags\">1 tag</td>", index, StringComparison.Ordinal);
        Assert.Contains("href=\"/root/demo/container_registry\"", await root.GetStringAsync("root/demo/-/pipelines"), StringComparison.Ordinal); // in the project's navigation

        var tags = await root.GetStringAsync($"root/demo/container_registry/{repository}");
        Assert.Contains($"<code>docker pull {f.Setup.Address}/root/demo:v1</code>", tags, StringComparison.Ordinal);
        Assert.Contains("<td data-label=\"Size\">3.2 KiB</td>", tags, StringComparison.Ordinal); // the layer and the config
        Assert.Contains($">{digest["sha256:".Length..][..12]}</code>", tags, StringComparison.Ordinal);
        Assert.Contains("<time datetime=\"2026-11-30T12:00:00Z\">", tags, StringComparison.Ordinal);
        Assert.Contains("aria-label=\"Delete tag latest\"", tags, StringComparison.Ordinal);
        Assert.Contains("Delete repository", tags, StringComparison.Ordinal);

        using var deleted = await root.PostAsync($"root/demo/container_registry/{repository}/tags/delete", Form(tags, ("tag", "latest")));
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        using var client = new RegistryClient(f.Setup);
        Assert.Equal(["v1"], await client.ListTagsAsync("root/demo"));

        var alice = (await f.Server.Host.Stores.Identity.FindSignInAsync("alice"))!.Id;
        using var stranger = await SessionClients.SignedInWithTokenAsync(f.Server, ApiFixture.AliceToken);
        using (var hidden = await stranger.GetAsync("root/demo/container_registry"))
        {
            Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        }

        Assert.Equal(HttpStatusCode.Created, (await f.Api.PostAsync($"projects/{project}/members", $$"""{"user_id":{{alice}},"access_level":20}""")).Status);
        var seen = await stranger.GetStringAsync($"root/demo/container_registry/{repository}");
        Assert.Contains("data-tag=\"v1\"", seen, StringComparison.Ordinal);
        Assert.DoesNotContain("Delete tag", seen, StringComparison.Ordinal);
        Assert.DoesNotContain("Delete repository", seen, StringComparison.Ordinal);
        using var refused = await stranger.PostAsync($"root/demo/container_registry/{repository}/tags/delete", Form(seen, ("tag", "v1")));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(["v1"], await client.ListTagsAsync("root/demo"));

        using var gone = await root.PostAsync($"root/demo/container_registry/{repository}/delete", Form(tags));
        Assert.Equal(HttpStatusCode.Redirect, gone.StatusCode);
        Assert.Empty(await client.ListTagsAsync("root/demo"));
        Assert.DoesNotContain($"container_registry/{repository}\"", await root.GetStringAsync("root/demo/container_registry"), StringComparison.Ordinal);
    }

    private static FormUrlEncodedContent Form(string page, params (string Key, string Value)[] fields)
    {
        var all = new Dictionary<string, string> { ["authenticity_token"] = SessionClients.Csrf(page) };
        foreach (var (key, value) in fields)
        {
            all[key] = value;
        }

        return new FormUrlEncodedContent(all);
    }
}

using Relais.Server.Registry;

namespace Relais.Server.Tests.Registry;

/// <summary>The coordinator's registry client against a real Distribution registry with token authentication.</summary>
public sealed class RegistryClientTests
{
    private static readonly DateTimeOffset Built = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    [RegistryFact]
    public async Task Tags_are_listed_sorted_with_digest_size_and_build_time()
    {
        await using var registry = await TokenRegistry.StartAsync();
        using var client = new RegistryClient(registry.Setup);
        var digest = await SyntheticImages.PushAsync(client, "group/app", new byte[1000], Built, "v2", "latest", "v1");

        var tags = await client.ListTagsAsync("group/app");
        var details = await client.GetTagAsync("group/app", "v1");

        Assert.Equal(["latest", "v1", "v2"], tags);
        Assert.NotNull(details);
        Assert.Equal(digest, details.Digest);
        Assert.Equal(RegistryClient.ManifestTypes[0], details.MediaType);
        Assert.InRange(details.TotalSize, 1001, 1200); // the layer and the config
        Assert.Equal(Built, details.CreatedAt);
        Assert.Null(await client.GetTagAsync("group/app", "nope"));
        Assert.Empty(await client.ListTagsAsync("group/none"));
        Assert.Contains("group/app", await client.CatalogAsync());
    }

    [RegistryFact]
    public async Task Deleting_a_tag_keeps_the_other_tags_of_the_same_image()
    {
        await using var registry = await TokenRegistry.StartAsync();
        using var client = new RegistryClient(registry.Setup);
        var shared = await SyntheticImages.PushAsync(client, "group/app", [1, 2, 3], Built, "a", "b");
        await SyntheticImages.PushAsync(client, "group/app", [4, 5, 6], Built, "c", "d");

        await client.DeleteTagsAsync("group/app", ["a", "c", "missing"]);

        Assert.Equal(["b", "d"], await client.ListTagsAsync("group/app"));
        Assert.Equal(shared, (await client.GetTagAsync("group/app", "b"))!.Digest);
    }

    [RegistryFact]
    public async Task A_client_whose_tokens_the_registry_does_not_trust_is_refused_with_the_reason()
    {
        await using var registry = await TokenRegistry.StartAsync();
        await using var other = await TokenRegistry.StartAsync();
        using var stranger = new RegistryClient(other.Setup with { ApiUrl = registry.Setup.ApiUrl });

        var refused = await Assert.ThrowsAsync<RegistryException>(() => stranger.ListTagsAsync("group/app"));

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.Status);
        Assert.Contains("the registry refused to list the tags of group/app: 401", refused.Message, StringComparison.Ordinal);
    }

    [RegistryFact]
    public async Task The_servers_own_setup_reaches_its_registry()
    {
        await using var fixture = await RegistryFixture.StartAsync();
        using var client = new RegistryClient(fixture.Setup);

        await SyntheticImages.PushAsync(client, "root/demo", [7], Built, "latest");

        Assert.Equal(["latest"], await client.ListTagsAsync("root/demo"));
    }
}

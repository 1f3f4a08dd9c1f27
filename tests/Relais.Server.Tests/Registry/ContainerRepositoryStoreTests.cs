using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Registry;

/// <summary><c>stores.ContainerRepositories</c> on both stores: recorded once, read back with its time, listed by name, deleted.</summary>
public sealed class ContainerRepositoryStoreTests
{
    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task A_repository_is_recorded_once_and_read_back_with_its_creation_time(string store)
    {
        await using var server = await TestServer.StartAsync(store);
        var project = await server.Host.Stores.Projects.EnsureProjectAsync("root/app", "main", DateTimeOffset.UtcNow);
        var repositories = server.Host.Stores.ContainerRepositories;
        var at = new DateTimeOffset(2026, 5, 4, 3, 2, 1, TimeSpan.Zero);

        var cache = await repositories.EnsureAsync(project.Id, "cache", at);
        var again = await repositories.EnsureAsync(project.Id, "cache", at.AddDays(1));
        await repositories.EnsureAsync(project.Id, "", at);

        Assert.Equal(cache.Id, again.Id);
        Assert.Equal(at, again.CreatedAt);
        Assert.Equal(at, (await repositories.GetAsync(cache.Id))!.CreatedAt);
        Assert.Equal(["", "cache"], (await repositories.ListAsync(project.Id)).Select(r => r.Name));
        Assert.True(await repositories.DeleteAsync(cache.Id));
        Assert.Null(await repositories.GetAsync(cache.Id));
    }
}

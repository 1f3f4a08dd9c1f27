using Relais.Server.Storage;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Environments;

/// <summary><c>stores.Clusters</c> on both stores: one setting per environment scope, the token sealed.</summary>
public sealed class ClusterStoreTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task A_cluster_setting_is_made_once_per_scope_updated_and_deleted(string store)
    {
        await using var server = await TestServer.StartAsync(store);
        var project = await server.Host.Stores.Projects.EnsureProjectAsync("root/app", "main", At);
        var clusters = server.Host.Stores.Clusters;
        var all = new ClusterRecord { ProjectId = project.Id, Name = "all", ApiUrl = "https://k", Token = "token-one", Domain = "example.com" };

        var made = await clusters.CreateAsync(all, At);
        var duplicate = await clusters.CreateAsync(all with { Name = "again" }, At);
        var review = await clusters.CreateAsync(all with { Name = "review", EnvironmentScope = "review/*", Managed = false, NamespacePerEnvironment = false, Namespace = "ns", CaCert = "pem" }, At);

        Assert.NotNull(made);
        Assert.Null(duplicate);
        Assert.Equal("token-one", made.Token);
        Assert.True(made.Enabled && made.Managed && made.NamespacePerEnvironment);
        Assert.Equal(["all", "review"], (await clusters.ListAsync(project.Id)).Select(c => c.Name));
        Assert.False(review!.Managed);
        Assert.Equal(("ns", "pem"), (review.Namespace, review.CaCert));

        Assert.False(await clusters.UpdateAsync(review with { EnvironmentScope = "*" }, At), "another setting has that scope");
        Assert.True(await clusters.UpdateAsync(review with { Token = "token-two", Enabled = false, EnvironmentScope = "review/app-*" }, At.AddHours(1)));
        var changed = await clusters.GetAsync(project.Id, review.Id);
        Assert.Equal(("token-two", false, "review/app-*"), (changed!.Token, changed.Enabled, changed.EnvironmentScope));
        Assert.Null(await clusters.GetAsync(project.Id + 1, review.Id));

        Assert.True(await clusters.DeleteAsync(project.Id, made.Id));
        Assert.False(await clusters.DeleteAsync(project.Id, made.Id));
        Assert.Equal(["review"], (await clusters.ListAsync(project.Id)).Select(c => c.Name));
    }
}

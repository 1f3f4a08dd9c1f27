using Relais.Server.Storage;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Environments;

/// <summary><c>stores.Environments</c> and <c>stores.Deployments</c> on both stores.</summary>
public sealed class EnvironmentStoreTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task Many_callers_ensuring_one_environment_at_once_all_get_the_same_row(string store)
    {
        await using var server = await TestServer.StartAsync(store);
        var project = await server.Host.Stores.Projects.EnsureProjectAsync("root/app", "main", At);
        var environments = server.Host.Stores.Environments;

        for (var round = 0; round < 40; round++)
        {
            var name = $"review/race-{round}";
            var made = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
                environments.EnsureAsync(project.Id, name, Relais.Pipelines.Context.EnvironmentSlug.Of(name), "development", At))));

            Assert.Single(made.Select(e => e.Id).Distinct());
        }
    }

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task An_environment_is_made_once_listed_filtered_moved_and_deleted(string store)
    {
        await using var server = await TestServer.StartAsync(store);
        var project = await server.Host.Stores.Projects.EnsureProjectAsync("root/app", "main", At);
        var environments = server.Host.Stores.Environments;

        var review = await environments.EnsureAsync(project.Id, "review/feature-x", "review-feature-x-bjrazc", "development", At);
        var again = await environments.EnsureAsync(project.Id, "review/feature-x", "review-feature-x-bjrazc", "other", At.AddHours(1));
        var production = await environments.CreateAsync(new EnvironmentRecord { ProjectId = project.Id, Name = "production", Slug = "production", Tier = "production", ExternalUrl = "https://example.com" }, At);
        var duplicate = await environments.CreateAsync(new EnvironmentRecord { ProjectId = project.Id, Name = "production", Slug = "production", Tier = "production" }, At);

        Assert.Equal(review.Id, again.Id);
        Assert.Equal("development", again.Tier);
        Assert.Equal("review", again.Folder);
        Assert.Equal(At, again.CreatedAt);
        Assert.NotNull(production);
        Assert.Null(duplicate);
        Assert.Equal(["production", "review/feature-x"], (await environments.ListAsync(project.Id, new EnvironmentFilter())).Select(e => e.Name));
        Assert.Equal(["review/feature-x"], (await environments.ListAsync(project.Id, new EnvironmentFilter(Search: "FEATURE"))).Select(e => e.Name));
        Assert.Empty(await environments.ListAsync(project.Id, new EnvironmentFilter(Search: "%")));

        Assert.True(await environments.SetStateAsync(review.Id, EnvironmentStates.Stopping, At, from: EnvironmentStates.Available));
        Assert.False(await environments.SetStateAsync(review.Id, EnvironmentStates.Stopped, At, from: EnvironmentStates.Available));
        Assert.Equal(["review/feature-x"], (await environments.ListAsync(project.Id, new EnvironmentFilter(State: "stopping"))).Select(e => e.Name));

        await environments.SetAutoStopAtAsync(production!.Id, At.AddDays(1), At);
        Assert.Empty(await environments.ListAutoStopDueAsync(At, 10));
        Assert.Equal([production.Id], (await environments.ListAutoStopDueAsync(At.AddDays(2), 10)).Select(e => e.Id));
        Assert.Equal(At.AddDays(1), (await environments.GetAsync(production.Id))!.AutoStopAt);

        Assert.True(await environments.UpdateAsync(production with { ExternalUrl = "https://prod.example.com", KubernetesNamespace = "app-prod" }, At));
        var updated = await environments.FindAsync(project.Id, "production");
        Assert.Equal("https://prod.example.com", updated!.ExternalUrl);
        Assert.Equal("app-prod", updated.KubernetesNamespace);
        Assert.True(await environments.DeleteAsync(production.Id));
        Assert.Null(await environments.GetAsync(production.Id));
    }

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task Deployments_count_per_project_stay_finished_and_list_by_filter(string store)
    {
        await using var server = await TestServer.StartAsync(store);
        var project = await server.Host.Stores.Projects.EnsureProjectAsync("root/app", "main", At);
        var staging = await server.Host.Stores.Environments.EnsureAsync(project.Id, "staging", "staging", "staging", At);
        var deployments = server.Host.Stores.Deployments;

        var first = await deployments.CreateAsync(new NewDeployment(project.Id, staging.Id, null, null, "main", false, new string('a', 40), null, DeploymentStatuses.Running), At);
        var second = await deployments.CreateAsync(new NewDeployment(project.Id, staging.Id, null, null, "v1.0", true, new string('b', 40), null, DeploymentStatuses.Created), At.AddMinutes(1));

        Assert.Equal([1L, 2L], new[] { first.Iid, second.Iid });
        Assert.True(second.Tag);
        Assert.True(await deployments.UpdateStatusAsync(first.Id, DeploymentStatuses.Success, At.AddMinutes(2)));
        Assert.False(await deployments.UpdateStatusAsync(first.Id, DeploymentStatuses.Failed, At.AddMinutes(3)));
        var done = await deployments.GetAsync(first.Id);
        Assert.Equal(DeploymentStatuses.Success, done!.Status);
        Assert.Equal(At.AddMinutes(2), done.FinishedAt);
        Assert.Equal(first.Id, (await deployments.LastAsync(staging.Id, DeploymentStatuses.Success))!.Id);
        Assert.Equal(second.Id, (await deployments.LastAsync(staging.Id))!.Id);

        var (page, total) = await deployments.ListAsync(project.Id, new DeploymentFilter { OrderBy = "iid", Ascending = false }, 0, 1);
        Assert.Equal(2, total);
        Assert.Equal(second.Id, Assert.Single(page).Id);
        var (successes, _) = await deployments.ListAsync(project.Id, new DeploymentFilter { Status = "success", FinishedAfter = At }, 0, 10);
        Assert.Equal(first.Id, Assert.Single(successes).Id);
        Assert.True(await deployments.DeleteAsync(second.Id));
        Assert.Null(await deployments.FindByJobAsync(12345));
    }
}

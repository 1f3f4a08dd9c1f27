using Relais.Server.Storage;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Api;

/// <summary>The deploy token and commit status stores on every database the tests have (migrations 140 and 150).</summary>
public sealed class DeployTokenAndStatusStoreTests
{
    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task Deploy_tokens_get_a_default_username_are_found_by_hash_and_revoked_once(string store)
    {
        await using var server = await TestServer.StartAsync(store);
        var now = DateTimeOffset.UtcNow;
        var project = await server.Host.Stores.Projects.EnsureProjectAsync("root/demo", "main", now);
        var tokens = server.Host.Stores.DeployTokens;
        var added = await tokens.AddAsync(new DeployTokenRecord { ProjectId = project.Id, Name = "ci", TokenHash = "h1", Scopes = "read_repository,read_registry", ExpiresAt = "2099-01-01T00:00:00.000Z" }, now);
        var named = await tokens.AddAsync(new DeployTokenRecord { ProjectId = project.Id, Name = "gitlab-deploy-token", Username = "deployer", TokenHash = "h2", Scopes = "write_repository", SealedToken = "sealed" }, now);

        Assert.Equal($"gitlab+deploy-token-{added.Id}", added.Username);
        Assert.Equal(["read_repository", "read_registry"], added.ScopeList);
        Assert.False(added.Revoked);
        Assert.True(added.IsActive(now));
        Assert.Equal("deployer", named.Username);
        Assert.Equal("sealed", (await tokens.FindByHashAsync("h2"))!.SealedToken);
        Assert.Equal([added.Id, named.Id], (await tokens.ListAsync(project.Id)).Select(t => t.Id));
        Assert.Equal(2, (await tokens.ListAsync(null)).Count);
        Assert.Null(await tokens.GetAsync(project.Id + 1, added.Id));

        Assert.True(await tokens.RevokeAsync(project.Id, named.Id));
        Assert.False(await tokens.RevokeAsync(project.Id, named.Id));
        var revoked = (await tokens.FindByHashAsync("h2"))!;
        Assert.True(revoked.Revoked);
        Assert.Null(revoked.SealedToken);
        Assert.False(revoked.IsActive(now));
        Assert.True(added.IsExpired(new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero)));
    }

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task Commit_statuses_are_added_updated_only_from_the_expected_state_and_listed_by_sha_and_pipeline(string store)
    {
        await using var server = await TestServer.StartAsync(store);
        var now = DateTimeOffset.UtcNow;
        var project = await server.Host.Stores.Projects.EnsureProjectAsync("root/demo", "main", now);
        var statuses = server.Host.Stores.CommitStatuses;
        var sha = new string('a', 40);
        var added = await statuses.AddAsync(new CommitStatusRecord { ProjectId = project.Id, Sha = sha, Ref = "main", Name = "lint", Status = "pending", PipelineId = 7, AuthorId = 1, Coverage = 12.5 }, now);
        await statuses.AddAsync(new CommitStatusRecord { ProjectId = project.Id, Sha = new string('b', 40), Ref = "main", Name = "lint", Status = "success" }, now);

        var running = added with { Status = "running", StartedAt = "2026-01-02T03:04:05.000Z", Description = "going" };
        Assert.True(await statuses.UpdateAsync(running, "pending"));
        Assert.False(await statuses.UpdateAsync(running with { Status = "success" }, "pending")); // someone moved it first
        var stored = Assert.Single(await statuses.ListForShaAsync(project.Id, sha));
        Assert.Equal("running", stored.Status);
        Assert.Equal("going", stored.Description);
        Assert.Equal(12.5, stored.Coverage);
        Assert.Equal("2026-01-02T03:04:05.000Z", Relais.Server.Api.ApiJson.Time(stored.StartedAt));
        Assert.NotNull(stored.CreatedAt);
        Assert.Equal([added.Id], (await statuses.ListForPipelineAsync(7)).Select(s => s.Id));
    }
}

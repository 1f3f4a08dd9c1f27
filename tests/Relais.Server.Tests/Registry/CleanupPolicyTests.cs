using System.Net;
using System.Text.Json;
using Relais.Server.Registry;
using Relais.Server.Registry.Cleanup;
using Relais.Server.Storage;
using Relais.Server.Tests.Api;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Registry;

/// <summary>
/// A project's cleanup policy: <c>container_expiration_policy</c> on <c>GET/PUT /projects/:id</c> with GitLab's
/// defaults and errors, its storage on both stores, and the loop that runs due policies against a real registry and
/// then collects garbage.
/// </summary>
public sealed class CleanupPolicyTests
{
    [PythonGitLabFact]
    public async Task The_policy_shows_gitlabs_defaults_and_python_gitlab_sets_it()
    {
        await using var api = await ApiFixture.StartAsync();
        var (_, created, _) = await api.PostAsync("projects", """{"name":"demo"}""");
        var project = created.GetProperty("id").GetInt64();
        var defaults = created.GetProperty("container_expiration_policy");

        var set = await PythonGitLab.RunAsync(api.Server.Host.ExternalUrl, TestServer.RootToken, $$"""
            project = gl.projects.get({{project}})
            project.container_expiration_policy_attributes = {"enabled": True, "cadence": "7d", "keep_n": 5, "older_than": "14d", "name_regex": "v.*", "name_regex_keep": "stable"}
            project.save()
            print(json.dumps(gl.projects.get({{project}}).container_expiration_policy))
            """);

        Assert.Equal("""{"cadence":"1d","enabled":false,"keep_n":10,"older_than":"90d","name_regex":".*","name_regex_keep":null,"next_run_at":null}""", defaults.GetRawText());
        Assert.True(set.GetProperty("enabled").GetBoolean());
        Assert.Equal(("7d", 5, "14d", "v.*", "stable"), (set.GetProperty("cadence").GetString(), set.GetProperty("keep_n").GetInt32(),
            set.GetProperty("older_than").GetString(), set.GetProperty("name_regex").GetString(), set.GetProperty("name_regex_keep").GetString()));
        var next = DateTimeOffset.Parse(set.GetProperty("next_run_at").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(next - DateTimeOffset.UtcNow, TimeSpan.FromDays(7) - TimeSpan.FromMinutes(5), TimeSpan.FromDays(7));
    }

    [Fact]
    public async Task Values_gitlab_does_not_allow_are_refused_with_its_messages_and_change_nothing()
    {
        await using var api = await ApiFixture.StartAsync();
        var (_, created, _) = await api.PostAsync("projects", """{"name":"demo"}""");
        var project = created.GetProperty("id").GetInt64();

        var cadence = await api.SendAsync(HttpMethod.Put, $"projects/{project}", json: """{"visibility": "public", "container_expiration_policy_attributes": {"cadence": "2d", "keep_n": 3}}""");
        var blank = await api.SendAsync(HttpMethod.Put, $"projects/{project}?container_expiration_policy_attributes[enabled]=true&container_expiration_policy_attributes[name_regex]=");
        var type = await api.SendAsync(HttpMethod.Put, $"projects/{project}", json: """{"container_expiration_policy_attributes": {"keep_n": "many"}}""");
        var developer = await api.SendAsync(HttpMethod.Put, $"projects/{project}", ApiFixture.AliceToken, """{"container_expiration_policy_attributes": {"enabled": true}}""");
        var (_, after, _) = await api.GetAsync($"projects/{project}");

        Assert.Equal(HttpStatusCode.BadRequest, cadence.Status);
        Assert.Equal("""{"container_expiration_policy.cadence":["is not included in the list"],"container_expiration_policy.keep_n":["is not included in the list"]}""", cadence.Json.GetProperty("message").GetRawText());
        Assert.Equal("can't be blank", blank.Json.GetProperty("message").GetProperty("container_expiration_policy.name_regex")[0].GetString());
        Assert.Equal("container_expiration_policy_attributes[keep_n] is invalid", type.Json.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.NotFound, developer.Status); // alice is no member of root's private project
        Assert.Equal("private", after.GetProperty("visibility").GetString());
        Assert.False(after.GetProperty("container_expiration_policy").GetProperty("enabled").GetBoolean());
    }

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task Policies_are_stored_listed_when_due_and_each_run_is_claimed_once(string store)
    {
        await using var server = await TestServer.StartAsync(store);
        var stores = server.Host.Stores;
        var project = (await stores.Projects.CreateProjectAsync("root/demo", "main", "private", DateTimeOffset.UtcNow))!;
        var repository = await stores.ContainerRepositories.EnsureAsync(project.Id, "", DateTimeOffset.UtcNow);
        var now = new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
        var policy = new ContainerExpirationPolicyRecord
        {
            ProjectId = project.Id, Enabled = true, Cadence = "7d", KeepN = null, OlderThan = "30d", NameRegex = "v.*", NameRegexKeep = "stable",
            NextRunAt = SqlKeyStore.StoredTime(now.AddMinutes(-1)),
        };

        Assert.Null(await stores.ContainerExpirationPolicies.GetAsync(project.Id));
        await stores.ContainerExpirationPolicies.SaveAsync(policy, now);
        await stores.ContainerExpirationPolicies.SaveAsync(policy, now); // an update of the same row
        var due = await stores.ContainerExpirationPolicies.ListDueAsync(now, 10);
        var notYet = await stores.ContainerExpirationPolicies.ListDueAsync(now.AddMinutes(-2), 10);
        var first = await stores.ContainerExpirationPolicies.ClaimRunAsync(project.Id, policy.NextRunAt!, "2026-12-14T12:00:00.000Z", now);
        var second = await stores.ContainerExpirationPolicies.ClaimRunAsync(project.Id, policy.NextRunAt!, "2026-12-14T12:00:00.000Z", now);
        await stores.ContainerExpirationPolicies.SetCleanupStartedAsync(repository.Id, now);

        Assert.Equal([policy with { UpdatedAt = SqlKeyStore.StoredTime(now) }], due);
        Assert.Empty(notYet);
        Assert.True(first);
        Assert.False(second);
        Assert.Equal("2026-12-14T12:00:00.000Z", (await stores.ContainerExpirationPolicies.GetAsync(project.Id))!.NextRunAt);
        Assert.Equal(SqlKeyStore.StoredTime(now), SqlKeyStore.StoredTime((await stores.ContainerRepositories.GetAsync(repository.Id))!.CleanupPolicyStartedAt!.Value));
    }

    [RegistryFact]
    public async Task A_due_policy_run_by_the_servers_loop_keeps_latest_the_n_newest_and_the_kept_names()
    {
        await using var f = await RegistryFixture.StartAsync(configure: o => o with { RegistryCleanupInterval = TimeSpan.FromMilliseconds(100) });
        var (project, repository) = await BulkTagDeleteTests.RepositoryAsync(f, "demo");
        using var client = new RegistryClient(f.Setup);
        await PushHistoryAsync(client, "root/demo");
        var (status, _, _) = await f.Api.SendAsync(HttpMethod.Put, $"projects/{project}", json:
            """{"container_expiration_policy_attributes": {"enabled": true, "cadence": "1d", "keep_n": 1, "older_than": "7d", "name_regex": ".*", "name_regex_keep": "release-.*"}}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(7, (await client.ListTagsAsync("root/demo")).Count); // not due yet: a day away

        await MakeDueAsync(f, project);

        // v5 is the newest (keep_n 1), v4 is younger than 7 days, release-1 is kept by name, latest always.
        Assert.Equal(["latest", "release-1", "v4", "v5"], await BulkTagDeleteTests.TagsEventuallyAsync(client, "root/demo", 4));
        var policy = (await f.Server.Host.Stores.ContainerExpirationPolicies.GetAsync(project))!;
        Assert.True(ExpirationPolicyRules.Time(policy.NextRunAt) > DateTimeOffset.UtcNow.AddHours(23));
        var (_, shown, _) = await f.Api.GetAsync($"projects/{project}/registry/repositories");
        Assert.Equal(JsonValueKind.String, shown[0].GetProperty("cleanup_policy_started_at").ValueKind); // the API shows when it last ran
    }

    [RegistryFact]
    public async Task Garbage_is_collected_once_after_a_round_that_deleted_tags_and_not_after_one_that_did_not()
    {
        await using var f = await RegistryFixture.StartAsync(configure: o => o with { RegistryCleanupInterval = TimeSpan.FromHours(1) });
        var (project, _) = await BulkTagDeleteTests.RepositoryAsync(f, "demo");
        var (other, _) = await BulkTagDeleteTests.RepositoryAsync(f, "other");
        using var client = new RegistryClient(f.Setup);
        await PushHistoryAsync(client, "root/demo");
        await PushHistoryAsync(client, "root/other");
        var maintenance = new CountingMaintenance();
        using var garbage = new RegistryGarbageCollector(() => maintenance, TextWriter.Null);
        var stores = f.Server.Host.Stores;
        var scheduler = new CleanupPolicyScheduler(
            stores.ContainerExpirationPolicies, stores.ContainerRepositories, stores.Projects, new RepositoryCleanup(client, TimeProvider.System),
            garbage, TimeProvider.System, TextWriter.Null, TimeSpan.FromHours(1));
        var policies = new ExpirationPolicies(stores.ContainerExpirationPolicies, TimeProvider.System);
        await policies.UpdateAsync(project, new Dictionary<string, string?> { ["enabled"] = "true", ["keep_n"] = "10", ["older_than"] = "7d" });
        await policies.UpdateAsync(other, new Dictionary<string, string?> { ["enabled"] = "true", ["keep_n"] = "1", ["older_than"] = "7d" });

        await MakeDueAsync(f, project);
        var keptAll = await scheduler.RunDueAsync();
        var collectedAfterNothing = maintenance.Runs;
        await MakeDueAsync(f, project);
        await MakeDueAsync(f, other);
        var deleted = await scheduler.RunDueAsync();

        Assert.Equal((0, 0), (keptAll, collectedAfterNothing));
        Assert.Equal(4, deleted); // of root/other: release-1 and v1..v3 (older than 7 days, not the newest, not latest)
        Assert.Equal(1, maintenance.Runs);
    }

    /// <summary>Seven tags: latest, release-1 and v1..v3 built weeks ago, v4 and v5 built recently (v5 the newest).</summary>
    private static async Task PushHistoryAsync(RegistryClient client, string repository)
    {
        var now = DateTimeOffset.UtcNow;
        await SyntheticImages.PushAsync(client, repository, [0], now.AddDays(-60), "latest");
        await SyntheticImages.PushAsync(client, repository, [1], now.AddDays(-50), "release-1");
        await SyntheticImages.PushAsync(client, repository, [2], now.AddDays(-40), "v1");
        await SyntheticImages.PushAsync(client, repository, [3], now.AddDays(-30), "v2");
        await SyntheticImages.PushAsync(client, repository, [4], now.AddDays(-20), "v3");
        await SyntheticImages.PushAsync(client, repository, [5], now.AddDays(-2), "v4");
        await SyntheticImages.PushAsync(client, repository, [6], now.AddDays(-1), "v5");
    }

    private static async Task MakeDueAsync(RegistryFixture f, long project)
    {
        var store = f.Server.Host.Stores.ContainerExpirationPolicies;
        var policy = (await store.GetAsync(project))!;
        await store.SaveAsync(policy with { NextRunAt = SqlKeyStore.StoredTime(DateTimeOffset.UtcNow.AddMinutes(-1)) }, DateTimeOffset.UtcNow);
    }

    /// <summary>A stand-in for the supervised registry's garbage collection (our own interface): counts the runs.</summary>
    private sealed class CountingMaintenance : IRegistryMaintenance
    {
        public int Runs { get; private set; }

        public bool IsReadOnly => false;

        public Task<string> CollectGarbageAsync(CancellationToken cancel)
        {
            Runs++;
            return Task.FromResult("0 blobs marked");
        }
    }
}

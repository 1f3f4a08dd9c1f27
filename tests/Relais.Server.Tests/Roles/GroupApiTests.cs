using System.Net;
using System.Text.Json;
using Relais.Server.Queue;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Roles;

/// <summary>Groups, subgroups and namespaces through the REST API: one namespace space, visibility, creation rights, deletion.</summary>
public sealed class GroupApiTests
{
    private static readonly HttpMethod Get = HttpMethod.Get;
    private static readonly HttpMethod Post = HttpMethod.Post;

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task Usernames_and_top_level_group_paths_share_one_namespace(string store)
    {
        await using var team = await Team.StartAsync(store);

        var (user, taken, _) = await team.AsAsync("root", Post, "users", """{"username":"acme","email":"a@example.com","password":"correct horse battery staple"}""");
        Assert.Equal(HttpStatusCode.BadRequest, user);
        Assert.Equal("has already been taken", taken.GetProperty("message").GetProperty("username")[0].GetString());
        foreach (var path in new[] { "alice", "ACME", "Alice" })
        {
            var (group, json, _) = await team.AsAsync("dev", Post, "groups", $$"""{"name":"X","path":"{{path}}"}""");
            Assert.Equal(HttpStatusCode.BadRequest, group);
            Assert.Equal("has already been taken", json.GetProperty("message").GetProperty("path")[0].GetString());
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await team.AsAsync("dev", Post, "groups", """{"name":"Api","path":"api"}""")).Status);

        // A subgroup and a project cannot share a path either.
        Assert.Equal(HttpStatusCode.Created, (await team.AsAsync("root", Post, "groups", $$"""{"name":"Web","path":"web","parent_id":{{team.GroupId}}}""")).Status);
        var (project, clash, _) = await team.AsAsync("root", Post, "projects", $$"""{"name":"web","namespace_id":{{team.GroupId}}}""");
        Assert.Equal(HttpStatusCode.BadRequest, project);
        Assert.Equal("has already been taken", clash.GetProperty("message").GetProperty("path")[0].GetString());
    }

    [Fact]
    public async Task A_private_group_is_invisible_to_strangers_and_a_public_one_is_listed_for_everyone()
    {
        await using var team = await Team.StartAsync();
        Assert.Equal(HttpStatusCode.Created, (await team.AsAsync("stranger", Post, "groups", """{"name":"Open","path":"open","visibility":"public"}""")).Status);

        Assert.Equal(HttpStatusCode.NotFound, (await team.AsAsync("stranger", Get, "groups/acme")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await team.AsAsync("stranger", Get, $"groups/{team.GroupId}/members")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await team.Api.SendAsync(Get, "groups/acme", token: null)).Status);
        var (_, got, _) = await team.AsAsync("guest", Get, "groups/acme");
        Assert.Equal(team.GroupId, got.GetProperty("id").GetInt64());
        Assert.Equal("acme", got.GetProperty("full_path").GetString());

        static List<string> Paths(JsonElement list) => [.. list.EnumerateArray().Select(g => g.GetProperty("full_path").GetString()!).Order(StringComparer.Ordinal)];
        Assert.Equal(["open"], Paths((await team.AsAsync("stranger", Get, "groups")).Json));
        Assert.Equal(["open"], Paths((await team.Api.SendAsync(Get, "groups", token: null)).Json));
        Assert.Equal(["acme", "open"], Paths((await team.AsAsync("guest", Get, "groups")).Json));
        Assert.Equal(["open"], Paths((await team.AsAsync("stranger", Get, "groups?owned=true")).Json));
    }

    [Fact]
    public async Task Maintainers_create_subgroups_and_projects_in_them_developers_cannot()
    {
        await using var team = await Team.StartAsync();
        var acme = team.GroupId;

        Assert.Equal(HttpStatusCode.Forbidden, (await team.AsAsync("dev", Post, "groups", $$"""{"name":"Web","path":"web","parent_id":{{acme}}}""")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await team.AsAsync("stranger", Post, "groups", $$"""{"name":"Web","path":"web","parent_id":{{acme}}}""")).Status);
        var (created, web, _) = await team.AsAsync("maint", Post, "groups", $$"""{"name":"Web","path":"web","parent_id":{{acme}}}""");
        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal("acme/web", web.GetProperty("full_path").GetString());
        Assert.Equal("Acme / Web", web.GetProperty("full_name").GetString());
        var webId = web.GetProperty("id").GetInt64();

        Assert.Equal(HttpStatusCode.Forbidden, (await team.AsAsync("dev", Post, "projects", $$"""{"name":"app","namespace_id":{{webId}}}""")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await team.AsAsync("stranger", Post, "projects", $$"""{"name":"app","namespace_id":{{webId}}}""")).Status);
        var (made, project, _) = await team.AsAsync("maint", Post, "projects", $$"""{"name":"app","namespace_id":{{webId}}}""");
        Assert.Equal(HttpStatusCode.Created, made);
        Assert.Equal("acme/web/app", project.GetProperty("path_with_namespace").GetString());
        var ns = project.GetProperty("namespace");
        Assert.Equal(("group", "acme/web", webId, acme), (ns.GetProperty("kind").GetString(), ns.GetProperty("full_path").GetString(), ns.GetProperty("id").GetInt64(), ns.GetProperty("parent_id").GetInt64()));

        // Reached by encoded path, inherited by Developers of the parent, listed from the parent with include_subgroups.
        Assert.Equal(webId, (await team.AsAsync("dev", Get, "groups/acme%2Fweb")).Json.GetProperty("id").GetInt64());
        Assert.Equal(HttpStatusCode.OK, (await team.AsAsync("dev", Get, "projects/acme%2Fweb%2Fapp")).Status);
        Assert.Empty((await team.AsAsync("dev", Get, $"groups/{acme}/projects")).Json.EnumerateArray());
        Assert.Single((await team.AsAsync("dev", Get, $"groups/{acme}/projects?include_subgroups=true")).Json.EnumerateArray());
        Assert.Equal(["acme/web"], (await team.AsAsync("dev", Get, $"groups/{acme}/subgroups")).Json.EnumerateArray().Select(g => g.GetProperty("full_path").GetString()));
        Assert.Equal(HttpStatusCode.Created, (await team.AsAsync("maint", Post, "groups", $$"""{"name":"Ui","path":"ui","parent_id":{{webId}}}""")).Status);
        Assert.Equal(["acme/web", "acme/web/ui"], (await team.AsAsync("dev", Get, $"groups/{acme}/descendant_groups")).Json.EnumerateArray().Select(g => g.GetProperty("full_path").GetString()));

        // Any user creates a top-level group and owns it; a project in their own namespace still works without namespace_id.
        Assert.Equal(HttpStatusCode.Created, (await team.AsAsync("stranger", Post, "groups", """{"name":"Mine","path":"mine"}""")).Status);
        var (own, ownProject, _) = await team.AsAsync("stranger", Post, "projects", """{"name":"tool"}""");
        Assert.Equal(HttpStatusCode.Created, own);
        Assert.Equal("user", ownProject.GetProperty("namespace").GetProperty("kind").GetString());
        Assert.Equal(team.Users["stranger"], ownProject.GetProperty("namespace").GetProperty("id").GetInt64());
    }

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task A_group_with_projects_or_subgroups_is_not_deleted_an_empty_one_is(string store)
    {
        await using var team = await Team.StartAsync(store);
        var project = await team.ProjectAsync("app");
        var (_, sub, _) = await team.AsAsync("root", Post, "groups", $$"""{"name":"Empty","path":"empty","parent_id":{{team.GroupId}}}""");

        var (refused, why, _) = await team.AsAsync("root", HttpMethod.Delete, $"groups/{team.GroupId}");
        Assert.Equal(HttpStatusCode.BadRequest, refused);
        Assert.Contains("still has projects or subgroups", why.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, (await team.AsAsync("root", HttpMethod.Delete, $"groups/{sub.GetProperty("id").GetInt64()}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await team.AsAsync("root", Get, "groups/acme%2Fempty")).Status);
        Assert.Equal(HttpStatusCode.OK, (await team.AsAsync("root", Get, $"projects/{project}")).Status);
    }

    [Fact]
    public async Task Namespaces_lists_the_callers_own_and_the_groups_they_belong_to()
    {
        await using var team = await Team.StartAsync();
        static List<string> Paths(JsonElement list) => [.. list.EnumerateArray().Select(n => n.GetProperty("kind").GetString() + ":" + n.GetProperty("full_path").GetString())];

        Assert.Equal(["user:dev", "group:acme"], Paths((await team.AsAsync("dev", Get, "namespaces")).Json));
        Assert.Equal(["user:stranger"], Paths((await team.AsAsync("stranger", Get, "namespaces")).Json));
        Assert.Equal(["user:dev"], Paths((await team.AsAsync("dev", Get, "namespaces?owned_only=true")).Json));
        Assert.Equal("acme", (await team.AsAsync("dev", Get, $"namespaces/{team.GroupId}")).Json.GetProperty("full_path").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await team.AsAsync("stranger", Get, "namespaces/acme")).Status);
        Assert.Equal("user", (await team.AsAsync("dev", Get, "namespaces/dev")).Json.GetProperty("kind").GetString());
    }

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task A_groups_project_is_trusted_only_when_flagged_even_when_an_administrator_owns_the_group(string store)
    {
        await using var team = await Team.StartAsync(store);
        var project = await team.ProjectAsync("app");
        var stores = team.Api.Server.Host.Stores;
        var trust = new ProjectTrust(stores.Projects, stores.Identity);
        await team.Api.RunPipelineAsync(project);

        Assert.False(await trust.IsTrustedAsync(project));
        Assert.Empty(await stores.Pipelines.PendingJobsAsync(10, trustedProjectsOnly: true));

        Assert.Equal(HttpStatusCode.OK, (await team.AsAsync("root", HttpMethod.Put, $"projects/{project}", """{"relais_trusted":true}""")).Status);
        Assert.True(await trust.IsTrustedAsync(project));
        Assert.Single(await stores.Pipelines.PendingJobsAsync(10, trustedProjectsOnly: true));
    }

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task Deleting_a_user_removes_their_memberships(string store)
    {
        await using var team = await Team.StartAsync(store);
        Assert.Equal(HttpStatusCode.NoContent, (await team.AsAsync("root", HttpMethod.Delete, $"users/{team.Users["dev"]}")).Status);
        var (_, members, _) = await team.AsAsync("root", Get, $"groups/{team.GroupId}/members");
        Assert.DoesNotContain(members.EnumerateArray(), m => m.GetProperty("username").GetString() == "dev");
    }
}

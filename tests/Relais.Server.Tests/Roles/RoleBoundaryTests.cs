using System.Net;
using System.Text.Json;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Roles;

/// <summary>
/// GitLab's permission table through the REST API, one test per level boundary, with roles given by group
/// membership (<see cref="Team"/>): Guest sees, Reporter reads, Developer runs, Maintainer manages, Owner owns.
/// </summary>
public sealed class RoleBoundaryTests
{
    private static readonly HttpMethod Get = HttpMethod.Get;
    private static readonly HttpMethod Post = HttpMethod.Post;

    [Fact]
    public async Task A_guest_sees_the_project_but_reading_its_pipelines_needs_a_reporter_and_a_stranger_gets_404()
    {
        await using var team = await Team.StartAsync();
        var project = await team.ProjectAsync("app");
        await team.Api.RunPipelineAsync(project);

        Assert.Equal(HttpStatusCode.OK, (await team.AsAsync("guest", Get, $"projects/{project}")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await team.AsAsync("guest", Get, $"projects/{project}/pipelines")).Status);
        Assert.Equal(HttpStatusCode.OK, (await team.AsAsync("rep", Get, $"projects/{project}/pipelines")).Status);
        Assert.Equal(HttpStatusCode.OK, (await team.AsAsync("rep", Get, $"projects/{project}/jobs")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await team.AsAsync("stranger", Get, $"projects/{project}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await team.AsAsync("stranger", Get, $"projects/{project}/pipelines")).Status);
    }

    [Fact]
    public async Task A_reporter_cannot_run_or_cancel_pipelines_a_developer_can()
    {
        await using var team = await Team.StartAsync();
        var project = await team.ProjectAsync("app");
        var pipeline = await team.Api.RunPipelineAsync(project);

        Assert.Equal(HttpStatusCode.Forbidden, (await team.AsAsync("rep", Post, $"projects/{project}/pipeline?ref=main")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await team.AsAsync("rep", Post, $"projects/{project}/pipelines/{pipeline}/cancel")).Status);
        var (run, runBody, _) = await team.AsAsync("dev", Post, $"projects/{project}/pipeline?ref=main");
        Assert.True(run == HttpStatusCode.Created, runBody.ToString());
        Assert.Equal(HttpStatusCode.Created, (await team.AsAsync("dev", Post, $"projects/{project}/pipelines/{pipeline}/cancel")).Status);
    }

    [Fact]
    public async Task A_developer_cannot_manage_variables_or_members_a_maintainer_can()
    {
        await using var team = await Team.StartAsync();
        var project = await team.ProjectAsync("app");
        var stranger = team.Users["stranger"];

        Assert.Equal(HttpStatusCode.Forbidden, (await team.AsAsync("dev", Get, $"projects/{project}/variables")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await team.AsAsync("dev", Post, $"projects/{project}/variables", """{"key":"K","value":"v"}""")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await team.AsAsync("dev", Post, $"projects/{project}/members", $$"""{"user_id":{{stranger}},"access_level":20}""")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await team.AsAsync("dev", HttpMethod.Put, $"projects/{project}", """{"visibility":"public"}""")).Status);

        Assert.Equal(HttpStatusCode.OK, (await team.AsAsync("maint", Get, $"projects/{project}/variables")).Status);
        Assert.Equal(HttpStatusCode.Created, (await team.AsAsync("maint", Post, $"projects/{project}/variables", """{"key":"K","value":"v"}""")).Status);
        var (added, member, _) = await team.AsAsync("maint", Post, $"projects/{project}/members", $$"""{"user_id":{{stranger}},"access_level":20}""");
        Assert.Equal(HttpStatusCode.Created, added);
        Assert.Equal(20, member.GetProperty("access_level").GetInt32());
        Assert.Equal("stranger", member.GetProperty("username").GetString());

        // Now a Reporter of this project only: they read it, and still not the group's other projects.
        var other = await team.ProjectAsync("other");
        Assert.Equal(HttpStatusCode.OK, (await team.AsAsync("stranger", Get, $"projects/{project}/pipelines")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await team.AsAsync("stranger", Get, $"projects/{other}")).Status);
    }

    [Fact]
    public async Task A_maintainer_cannot_grant_owner_change_or_delete_the_group_an_owner_can()
    {
        await using var team = await Team.StartAsync();
        var group = team.GroupId;
        var stranger = team.Users["stranger"];

        Assert.Equal(HttpStatusCode.Forbidden, (await team.AsAsync("maint", Post, $"groups/{group}/members", $$"""{"user_id":{{stranger}},"access_level":50}""")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await team.AsAsync("maint", HttpMethod.Put, $"groups/{group}/members/{team.Users["root"]}", """{"access_level":10}""")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await team.AsAsync("maint", HttpMethod.Put, $"groups/{group}", """{"description":"x"}""")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await team.AsAsync("maint", HttpMethod.Delete, $"groups/{group}")).Status);
        Assert.Equal(HttpStatusCode.Created, (await team.AsAsync("maint", Post, $"groups/{group}/members", $$"""{"user_id":{{stranger}},"access_level":30}""")).Status);

        Assert.Equal(HttpStatusCode.OK, (await team.AsAsync("root", HttpMethod.Put, $"groups/{group}/members/{team.Users["maint"]}", """{"access_level":50}""")).Status);
        var (changed, json, _) = await team.AsAsync("maint", HttpMethod.Put, $"groups/{group}", """{"description":"Acme's code"}""");
        Assert.Equal(HttpStatusCode.OK, changed);
        Assert.Equal("Acme's code", json.GetProperty("description").GetString());
        Assert.Equal(HttpStatusCode.Accepted, (await team.AsAsync("maint", HttpMethod.Delete, $"groups/{group}")).Status);
    }

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task The_last_owner_of_a_group_cannot_be_removed_or_demoted_and_a_member_may_leave(string store)
    {
        await using var team = await Team.StartAsync(store);
        var group = team.GroupId;
        var root = team.Users["root"];
        var project = await team.ProjectAsync("app");

        var (removed, body, _) = await team.AsAsync("root", HttpMethod.Delete, $"groups/{group}/members/{root}");
        Assert.Equal(HttpStatusCode.Forbidden, removed);
        Assert.Contains("last Owner", body.GetProperty("message").GetString(), StringComparison.Ordinal);
        var (demoted, invalid, _) = await team.AsAsync("root", HttpMethod.Put, $"groups/{group}/members/{root}", """{"access_level":40}""");
        Assert.Equal(HttpStatusCode.BadRequest, demoted);
        Assert.True(invalid.GetProperty("message").TryGetProperty("access_level", out _));

        // With a second Owner, the first may go.
        Assert.Equal(HttpStatusCode.OK, (await team.AsAsync("root", HttpMethod.Put, $"groups/{group}/members/{team.Users["maint"]}", """{"access_level":50}""")).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await team.AsAsync("maint", HttpMethod.Delete, $"groups/{group}/members/{root}")).Status);

        // A Reporter leaves: the project is gone for them.
        Assert.Equal(HttpStatusCode.NoContent, (await team.AsAsync("rep", HttpMethod.Delete, $"groups/{group}/members/{team.Users["rep"]}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await team.AsAsync("rep", Get, $"projects/{project}")).Status);
    }

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task An_expired_membership_gives_nothing(string store)
    {
        await using var team = await Team.StartAsync(store);
        var project = await team.ProjectAsync("app");
        var stranger = team.Users["stranger"];
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var tomorrow = DateTime.UtcNow.AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(HttpStatusCode.Created, (await team.AsAsync("root", Post, $"projects/{project}/members", $$"""{"user_id":{{stranger}},"access_level":30,"expires_at":"{{today}}"}""")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await team.AsAsync("stranger", Get, $"projects/{project}")).Status);
        var (listed, members, _) = await team.AsAsync("root", Get, $"projects/{project}/members");
        Assert.Equal(HttpStatusCode.OK, listed);
        Assert.Equal(today, members.EnumerateArray().Single(m => m.GetProperty("username").GetString() == "stranger").GetProperty("expires_at").GetString());

        Assert.Equal(HttpStatusCode.OK, (await team.AsAsync("root", HttpMethod.Put, $"projects/{project}/members/{stranger}", $$"""{"expires_at":"{{tomorrow}}"}""")).Status);
        Assert.Equal(HttpStatusCode.OK, (await team.AsAsync("stranger", Get, $"projects/{project}")).Status);
    }

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task Members_all_lists_inherited_members_with_their_highest_role(string store)
    {
        await using var team = await Team.StartAsync(store);
        var project = await team.ProjectAsync("app");
        Assert.Equal(HttpStatusCode.Created, (await team.AsAsync("root", Post, $"projects/{project}/members", $$"""{"user_id":{{team.Users["rep"]}},"access_level":40}""")).Status);

        var (_, direct, _) = await team.AsAsync("rep", Get, $"projects/{project}/members");
        Assert.Equal(["rep"], direct.EnumerateArray().Select(m => m.GetProperty("username").GetString()));
        var (_, all, _) = await team.AsAsync("rep", Get, $"projects/{project}/members/all");
        var levels = all.EnumerateArray().ToDictionary(m => m.GetProperty("username").GetString()!, m => m.GetProperty("access_level").GetInt32());
        Assert.Equal(40, levels["rep"]);
        Assert.Equal(50, levels["root"]);
        Assert.Equal(30, levels["dev"]);
        Assert.False(levels.ContainsKey("stranger"));
        Assert.Equal(HttpStatusCode.NotFound, (await team.AsAsync("stranger", Get, $"projects/{project}/members")).Status);
    }

    [Fact]
    public async Task Project_lists_show_only_what_the_caller_may_see_and_membership_filters_to_their_projects()
    {
        await using var team = await Team.StartAsync();
        await team.ProjectAsync("app");
        await team.ProjectAsync("site", visibility: "public");

        static List<string> Paths(JsonElement list) => [.. list.EnumerateArray().Select(p => p.GetProperty("path_with_namespace").GetString()!).Order(StringComparer.Ordinal)];
        Assert.Equal(["acme/app", "acme/site"], Paths((await team.AsAsync("rep", Get, "projects")).Json));
        Assert.Equal(["acme/site"], Paths((await team.AsAsync("stranger", Get, "projects")).Json));
        Assert.Empty(Paths((await team.AsAsync("stranger", Get, "projects?membership=true")).Json));
        Assert.Equal(["acme/app", "acme/site"], Paths((await team.AsAsync("guest", Get, "projects?membership=true")).Json));
        Assert.Empty(Paths((await team.AsAsync("maint", Get, "projects?owned=true")).Json));
    }
}

using System.Net;
using System.Text.Json;
using Relais.Server.Tests.Api;
using Relais.Server.Tests.Roles;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Runners;

/// <summary>
/// The queue honours runner types (issue #14): a project runner takes only the jobs of projects it is enabled in, a group
/// runner those of projects under its group at any depth, an instance runner those of projects that keep instance
/// runners on (<c>shared_runners_enabled</c>). Runners are created through <c>POST /user/runners</c> by a project's
/// Maintainer or a group's Owner, as GitLab.
/// </summary>
public sealed class RunnerTypeTests
{
    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task Each_runner_type_takes_only_the_jobs_of_the_projects_it_serves(string store)
    {
        await using var team = await Team.StartAsync(store);
        var web = (await team.AsAsync("root", HttpMethod.Post, "groups", $$"""{"name":"Web","path":"web","parent_id":{{team.GroupId}}}""")).Json.GetProperty("id").GetInt64();
        var inGroup = await team.ProjectAsync("app", web);
        var apart = await team.Api.ProjectWithConfigAsync("other", "build: {script: [echo hi]}");
        foreach (var id in new[] { inGroup, apart })
        {
            await team.Api.Server.Host.Stores.Projects.SetProjectTrustedAsync(id, true);
        }

        var projectRunner = await CreateAsync(team, "root", $$"""{"runner_type":"project_type","project_id":{{apart}}}""");
        var groupRunner = await CreateAsync(team, "root", $$"""{"runner_type":"group_type","group_id":{{team.GroupId}}}""");
        var instanceRunner = (await team.Api.Server.RegisterRunnerAsync()).Token;
        Assert.Equal(HttpStatusCode.OK, (await team.AsAsync("root", HttpMethod.Put, $"projects/{inGroup}", """{"shared_runners_enabled": false}""")).Status);
        Assert.False((await team.AsAsync("root", HttpMethod.Get, $"projects/{inGroup}")).Json.GetProperty("shared_runners_enabled").GetBoolean());

        await team.Api.RunPipelineAsync(inGroup); // the oldest pending job, which the project runner must pass by
        await team.Api.RunPipelineAsync(apart);

        Assert.Equal(apart, (await team.Api.Server.RequestJobAsync(projectRunner))!.JobInfo.ProjectId);
        Assert.Null(await team.Api.Server.RequestJobAsync(instanceRunner)); // the group's project turned instance runners off
        Assert.Equal(inGroup, (await team.Api.Server.RequestJobAsync(groupRunner))!.JobInfo.ProjectId);

        await team.Api.RunPipelineAsync(apart);
        Assert.Null(await team.Api.Server.RequestJobAsync(groupRunner)); // root/other is not under acme
        Assert.Equal(apart, (await team.Api.Server.RequestJobAsync(instanceRunner))!.JobInfo.ProjectId);
    }

    [Fact]
    public async Task Creating_a_group_or_project_runner_needs_the_groups_owner_or_the_projects_maintainer()
    {
        await using var team = await Team.StartAsync();
        var project = await team.ProjectAsync("app");

        Assert.Equal(HttpStatusCode.Forbidden, (await team.AsAsync("dev", HttpMethod.Post, "user/runners", $$"""{"runner_type":"project_type","project_id":{{project}}}""")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await team.AsAsync("maint", HttpMethod.Post, "user/runners", $$"""{"runner_type":"group_type","group_id":{{team.GroupId}}}""")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await team.AsAsync("maint", HttpMethod.Post, "user/runners", """{"runner_type":"instance_type"}""")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await team.AsAsync("stranger", HttpMethod.Post, "user/runners", $$"""{"runner_type":"project_type","project_id":{{project}}}""")).Status);
        var (status, body, _) = await team.AsAsync("root", HttpMethod.Post, "user/runners", """{"runner_type":"bogus"}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("runner_type does not have a valid value", body.GetProperty("error").GetString());
        var (created, runner, _) = await team.AsAsync("maint", HttpMethod.Post, "user/runners", $$"""{"runner_type":"project_type","project_id":{{project}}}""");
        Assert.Equal(HttpStatusCode.Created, created);
        Assert.StartsWith("glrt-", runner.GetProperty("token").GetString(), StringComparison.Ordinal);

        // The maintainer sees it in GET /runners; a developer of the same project does not, and may not read it (403; 404 for no such runner).
        var id = runner.GetProperty("id").GetInt64();
        Assert.Contains(id, Ids((await team.AsAsync("maint", HttpMethod.Get, "runners")).Json));
        Assert.DoesNotContain(id, Ids((await team.AsAsync("dev", HttpMethod.Get, "runners")).Json));
        Assert.Equal(HttpStatusCode.Forbidden, (await team.AsAsync("dev", HttpMethod.Get, $"runners/{id}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await team.AsAsync("maint", HttpMethod.Get, "runners/999")).Status);
        var detail = (await team.AsAsync("maint", HttpMethod.Get, $"runners/{id}")).Json;
        Assert.Equal("project_type", detail.GetProperty("runner_type").GetString());
        Assert.Equal(project, detail.GetProperty("projects")[0].GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task Filters_with_values_gitlab_refuses_answer_400()
    {
        await using var api = await ApiFixture.StartAsync();
        foreach (var (query, message) in new[]
        {
            ("type=bogus", "type does not have a valid value"),
            ("status=bogus", "status does not have a valid value"),
            ("scope=bogus", "scope does not have a valid value"),
        })
        {
            var (status, body, _) = await api.GetAsync("runners/all?" + query);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal(message, body.GetProperty("error").GetString());
        }

        var (id, _) = await api.Server.RegisterRunnerAsync();
        Assert.Equal(HttpStatusCode.BadRequest, (await api.GetAsync($"runners/{id}/jobs?status=bogus")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.GetAsync("runners/all", ApiFixture.AliceToken)).Status);
    }

    private static async Task<string> CreateAsync(Team team, string user, string json)
    {
        var (status, body, _) = await team.AsAsync(user, HttpMethod.Post, "user/runners", json);
        Assert.True(status == HttpStatusCode.Created, body.ToString());
        return body.GetProperty("token").GetString()!;
    }

    private static List<long> Ids(JsonElement list) => [.. list.EnumerateArray().Select(r => r.GetProperty("id").GetInt64())];
}

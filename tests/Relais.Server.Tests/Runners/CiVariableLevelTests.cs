using System.Net;
using Relais.Server.Tests.Api;
using Relais.Server.Tests.Roles;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Runners;

/// <summary>
/// Group and instance CI/CD variables and environment scopes (issue #14): created through python-gitlab
/// (<c>gl.variables</c>, <c>group.variables</c>, <c>project.variables</c> with <c>environment_scope</c>), they reach the
/// jobs in GitLab's precedence — instance below group, a subgroup above its parent, the project above all — and a
/// scoped variable only the jobs of a matching environment, the most specific scope winning.
/// </summary>
public sealed class CiVariableLevelTests
{
    private const string Yaml = """
        build: {script: [echo]}
        deploy: {script: [echo], environment: {name: production}}
        review: {script: [echo], environment: {name: review/feature-1}}
        """;

    [PythonGitLabFact]
    public async Task Instance_group_and_project_variables_reach_jobs_in_gitlabs_precedence_and_scopes()
    {
        await using var team = await Team.StartAsync();
        var web = (await team.AsAsync("root", HttpMethod.Post, "groups", $$"""{"name":"Web","path":"web","parent_id":{{team.GroupId}}}""")).Json.GetProperty("id").GetInt64();
        var project = await team.ProjectAsync("app", web, yaml: Yaml);
        await team.Api.Server.Host.Stores.Projects.SetProjectTrustedAsync(project, true);
        var runner = (await team.Api.Server.RegisterRunnerAsync()).Token;

        await PythonGitLab.RunAsync(team.Api.Server.Host.ExternalUrl, TestServer.RootToken, $$"""
            gl.variables.create({"key": "ONLY_INSTANCE", "value": "i"})
            gl.variables.create({"key": "LEVEL", "value": "instance", "description": "set for everyone"})
            acme = gl.groups.get({{team.GroupId}})
            acme.variables.create({"key": "LEVEL", "value": "acme"})
            acme.variables.create({"key": "NEAR", "value": "acme"})
            acme.variables.create({"key": "PROJECT_WINS", "value": "group"})
            acme.variables.create({"key": "SECRET_TOKEN", "value": "s3cr3t-group-value", "masked": True})
            gl.groups.get({{web}}).variables.create({"key": "NEAR", "value": "web"})
            p = gl.projects.get({{project}})
            p.variables.create({"key": "PROJECT_WINS", "value": "project"})
            p.variables.create({"key": "URL", "value": "dev"})
            p.variables.create({"key": "URL", "value": "prod", "environment_scope": "production"})
            p.variables.create({"key": "URL", "value": "review", "environment_scope": "review/*"})
            scoped = p.variables.get("URL", filter={"environment_scope": "production"})
            print(json.dumps([scoped.value, scoped.environment_scope, gl.variables.get("LEVEL").description]))
            """);
        await team.Api.RunPipelineAsync(project);
        var jobs = new Dictionary<string, IReadOnlyDictionary<string, (string Value, bool Masked)>>(StringComparer.Ordinal);
        for (var i = 0; i < 3; i++)
        {
            var job = (await team.Api.Server.RequestJobAsync(runner))!;
            jobs[job.JobInfo.Name] = job.Variables.GroupBy(v => v.Key).ToDictionary(g => g.Key, g => (g.Last().Value, g.Last().Masked));
        }

        foreach (var vars in jobs.Values)
        {
            Assert.Equal("i", vars["ONLY_INSTANCE"].Value);
            Assert.Equal("acme", vars["LEVEL"].Value);
            Assert.Equal("web", vars["NEAR"].Value);
            Assert.Equal("project", vars["PROJECT_WINS"].Value);
            Assert.Equal(("s3cr3t-group-value", true), vars["SECRET_TOKEN"]);
        }

        Assert.Equal("dev", jobs["build"]["URL"].Value);
        Assert.Equal("prod", jobs["deploy"]["URL"].Value);
        Assert.Equal("review", jobs["review"]["URL"].Value);
    }

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task A_key_in_several_scopes_needs_the_scope_filter_and_is_unique_per_scope(string store)
    {
        await using var api = await ApiFixture.StartAsync(store);
        var project = await api.ProjectWithConfigAsync("demo", "build: {script: [echo]}");
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsync($"projects/{project}/variables", """{"key":"URL","value":"dev"}""")).Status);
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsync($"projects/{project}/variables", """{"key":"URL","value":"prod","environment_scope":"production","description":"live"}""")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.PostAsync($"projects/{project}/variables", """{"key":"URL","value":"again","environment_scope":"production"}""")).Status);

        var (ambiguous, error, _) = await api.GetAsync($"projects/{project}/variables/URL");
        Assert.Equal(HttpStatusCode.Conflict, ambiguous);
        Assert.Contains("filter[environment_scope]", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        var (_, prod, _) = await api.GetAsync($"projects/{project}/variables/URL?filter[environment_scope]=production");
        Assert.Equal(("prod", "live"), (prod.GetProperty("value").GetString(), prod.GetProperty("description").GetString()));

        var (updated, _, _) = await api.SendAsync(HttpMethod.Put, $"projects/{project}/variables/URL?filter[environment_scope]=production", json: """{"value":"prod2"}""");
        Assert.Equal(HttpStatusCode.OK, updated);
        Assert.Equal(HttpStatusCode.NoContent, (await api.SendAsync(HttpMethod.Delete, $"projects/{project}/variables/URL?filter[environment_scope]=*")).Status);
        var left = (await api.GetAsync($"projects/{project}/variables/URL")).Json;
        Assert.Equal(("prod2", "production"), (left.GetProperty("value").GetString(), left.GetProperty("environment_scope").GetString()));
    }

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task Instance_variables_are_for_administrators_and_group_variables_for_the_groups_maintainers(string store)
    {
        await using var team = await Team.StartAsync(store);
        Assert.Equal(HttpStatusCode.Forbidden, (await team.AsAsync("maint", HttpMethod.Get, "admin/ci/variables")).Status);
        Assert.Equal(HttpStatusCode.Created, (await team.AsAsync("root", HttpMethod.Post, "admin/ci/variables", """{"key":"GLOBAL","value":"1"}""")).Status);
        Assert.Equal("1", (await team.AsAsync("root", HttpMethod.Get, "admin/ci/variables/GLOBAL")).Json.GetProperty("value").GetString());

        Assert.Equal(HttpStatusCode.Forbidden, (await team.AsAsync("dev", HttpMethod.Post, $"groups/{team.GroupId}/variables", """{"key":"G","value":"1"}""")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await team.AsAsync("stranger", HttpMethod.Get, $"groups/{team.GroupId}/variables")).Status);
        Assert.Equal(HttpStatusCode.Created, (await team.AsAsync("maint", HttpMethod.Post, $"groups/{team.GroupId}/variables", """{"key":"G","value":"1"}""")).Status);
        var listed = (await team.AsAsync("maint", HttpMethod.Get, $"groups/{team.GroupId}/variables")).Json;
        Assert.Equal("G", Assert.Single(listed.EnumerateArray()).GetProperty("key").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await team.AsAsync("maint", HttpMethod.Delete, $"groups/{team.GroupId}/variables/G")).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await team.AsAsync("root", HttpMethod.Delete, "admin/ci/variables/GLOBAL")).Status);
    }
}

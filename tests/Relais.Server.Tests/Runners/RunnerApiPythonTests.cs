using System.Net;
using Relais.Server.Tests.Api;
using Relais.Server.Tests.Roles;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Runners;

/// <summary>
/// The runners API as a python-gitlab user drives it (issue #14): list with <c>type</c>/<c>status</c> filters, edit a
/// runner with <c>save()</c>, enable it in a second project with <c>project.runners.create</c>, delete it.
/// </summary>
public sealed class RunnerApiPythonTests
{
    [PythonGitLabFact]
    public async Task A_project_runner_is_listed_edited_enabled_elsewhere_and_deleted_through_python_gitlab()
    {
        await using var team = await Team.StartAsync();
        var first = await team.ProjectAsync("app");
        var second = await team.ProjectAsync("lib");
        var (status, created, _) = await team.AsAsync("root", HttpMethod.Post, "user/runners", $$"""{"runner_type":"project_type","project_id":{{first}},"description":"mine"}""");
        Assert.Equal(HttpStatusCode.Created, status);
        var id = created.GetProperty("id").GetInt64();
        var instance = (await team.Api.Server.RegisterRunnerAsync()).Id;

        var result = await PythonGitLab.RunAsync(team.Api.Server.Host.ExternalUrl, TestServer.RootToken, $$"""
            listed = [r.id for r in gl.runners.all(type="project_type", status="never_contacted", get_all=True)]
            shared = [r.id for r in gl.runners.all(type="instance_type", get_all=True)]
            runner = gl.runners.get({{id}})
            runner.description = "edited"
            runner.tag_list = ["linux", "docker"]
            runner.paused = True
            runner.save()
            second = gl.projects.get({{second}})
            second.runners.create({"runner_id": {{id}}})
            in_second = [r.id for r in second.runners.list(type="project_type")]
            after = gl.runners.get({{id}})
            paused = [r.id for r in gl.runners.all(paused=True, get_all=True)]
            out = {"listed": listed, "shared": shared, "description": after.description, "tags": sorted(after.tag_list),
                   "paused": after.paused, "in_second": in_second, "projects": [p["id"] for p in after.projects], "paused_list": paused}
            after.delete()
            out["left"] = [r.id for r in gl.runners.all(get_all=True)]
            print(json.dumps(out))
            """);

        Assert.Equal(new[] { id }, result.GetProperty("listed").EnumerateArray().Select(x => x.GetInt64()));
        Assert.Equal(new[] { instance }, result.GetProperty("shared").EnumerateArray().Select(x => x.GetInt64()));
        Assert.Equal("edited", result.GetProperty("description").GetString());
        Assert.Equal(new[] { "docker", "linux" }, result.GetProperty("tags").EnumerateArray().Select(x => x.GetString()));
        Assert.True(result.GetProperty("paused").GetBoolean());
        Assert.Equal(new[] { id }, result.GetProperty("paused_list").EnumerateArray().Select(x => x.GetInt64()));
        Assert.Equal(new[] { id }, result.GetProperty("in_second").EnumerateArray().Select(x => x.GetInt64()));
        Assert.Equal(new[] { first, second }, result.GetProperty("projects").EnumerateArray().Select(x => x.GetInt64()));
        Assert.Equal(new[] { instance }, result.GetProperty("left").EnumerateArray().Select(x => x.GetInt64()));
    }
}

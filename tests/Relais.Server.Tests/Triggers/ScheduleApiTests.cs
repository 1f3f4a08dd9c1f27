using System.Globalization;
using System.Net;
using Relais.Server.Tests.Api;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Triggers;

/// <summary>
/// Pipeline schedules (issue #14): CRUD, variables, <c>play</c> and <c>…/pipelines</c> through python-gitlab, GitLab's
/// errors over plain HTTP, and who may do what.
/// </summary>
public sealed class ScheduleApiTests
{
    private const string Yaml = "build: {script: [echo $GREETING]}";

    [PythonGitLabFact]
    public async Task A_schedule_made_with_python_gitlab_plays_as_its_owner_with_its_variables()
    {
        await using var api = await ApiFixture.StartAsync();
        var project = await api.ProjectWithConfigAsync("demo", Yaml);
        await api.PostAsync($"projects/{project}/variables", """{"key": "GREETING", "value": "from the project"}""");
        var (_, runner) = await api.Server.RegisterRunnerAsync();

        var result = await PythonGitLab.RunAsync(api.Server.Host.ExternalUrl, TestServer.RootToken, """
            p = gl.projects.get("root/demo")
            s = p.pipelineschedules.create({"description": "nightly", "ref": "refs/heads/main", "cron": "0 1 * * *", "cron_timezone": "Europe/Paris"})
            s.variables.create({"key": "GREETING", "value": "from the schedule"})
            sid = s.id
            s.play()  # python-gitlab 3.12 replaces the object's attributes with play's answer, as against GitLab
            s = p.pipelineschedules.get(sid)
            runs = gl.http_list(f"/projects/{p.id}/pipeline_schedules/{s.id}/pipelines")
            print(json.dumps({"next": s.next_run_at, "owner": s.owner["username"], "active": s.active, "last": s.last_pipeline,
                              "variables": s.attributes["variables"], "runs": [r["source"] for r in runs], "listed": [x.description for x in p.pipelineschedules.list()]}))
            """);

        var next = DateTimeOffset.Parse(result.GetProperty("next").GetString()!, CultureInfo.InvariantCulture);
        var paris = TimeZoneInfo.ConvertTime(next, TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris"));
        Assert.Equal((1, 0), (paris.Hour, paris.Minute));
        Assert.InRange(next - DateTimeOffset.UtcNow, TimeSpan.Zero, TimeSpan.FromHours(24));
        Assert.Equal("root", result.GetProperty("owner").GetString());
        Assert.True(result.GetProperty("active").GetBoolean());
        Assert.Equal("schedule", result.GetProperty("last").GetProperty("source").GetString());
        Assert.Equal("from the schedule", result.GetProperty("variables")[0].GetProperty("value").GetString());
        Assert.Equal(["schedule"], result.GetProperty("runs").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["nightly"], result.GetProperty("listed").EnumerateArray().Select(e => e.GetString()));
        var job = (await api.Server.RequestJobAsync(runner))!;
        Assert.Equal("from the schedule", job.Variables.Last(v => v.Key == "GREETING").Value);
        Assert.Contains(job.Variables, v => v.Key == "CI_PIPELINE_SOURCE" && v.Value == "schedule");
        Assert.Contains(job.Variables, v => v.Key == "GITLAB_USER_LOGIN" && v.Value == "root");
    }

    [Fact]
    public async Task Schedules_answer_GitLabs_errors()
    {
        await using var api = await ApiFixture.StartAsync();
        var project = await api.ProjectWithConfigAsync("demo", Yaml);
        var route = $"projects/{project}/pipeline_schedules";

        var badCron = await api.PostAsync(route, """{"description": "x", "ref": "main", "cron": "every day"}""");
        var badZone = await api.PostAsync(route, """{"description": "x", "ref": "main", "cron": "0 1 * * *", "cron_timezone": "Mars/Olympus"}""");
        var noRef = await api.PostAsync(route, """{"description": "x", "cron": "0 1 * * *"}""");
        var missing = await api.GetAsync(route + "/999");
        var badScope = await api.GetAsync(route + "?scope=sometimes");
        var id = (await api.PostAsync(route, """{"description": "x", "ref": "main", "cron": "0 1 * * *", "active": false}""")).Json.GetProperty("id").GetInt64();
        var badKey = await api.PostAsync($"{route}/{id}/variables", """{"key": "NO SPACES", "value": "v"}""");
        await api.PostAsync($"{route}/{id}/variables", """{"key": "K", "value": "v"}""");
        var twice = await api.PostAsync($"{route}/{id}/variables", """{"key": "K", "value": "w"}""");
        var badEdit = await api.SendAsync(HttpMethod.Put, $"{route}/{id}", json: """{"cron": "61 * * * *"}""");

        Assert.Equal(HttpStatusCode.BadRequest, badCron.Status);
        Assert.Equal("is invalid syntax", badCron.Json.GetProperty("message").GetProperty("cron")[0].GetString());
        Assert.Equal("is invalid syntax", badZone.Json.GetProperty("message").GetProperty("cron_timezone")[0].GetString());
        Assert.Equal((HttpStatusCode.BadRequest, "ref is missing"), (noRef.Status, noRef.Json.GetProperty("error").GetString()));
        Assert.Equal((HttpStatusCode.NotFound, "404 Pipeline Schedule Not Found"), (missing.Status, missing.Json.GetProperty("message").GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, badScope.Status);
        Assert.Equal(HttpStatusCode.BadRequest, badKey.Status);
        Assert.Equal(HttpStatusCode.BadRequest, twice.Status);
        Assert.Equal(HttpStatusCode.BadRequest, badEdit.Status);
        Assert.Equal("0 1 * * *", (await api.GetAsync($"{route}/{id}")).Json.GetProperty("cron").GetString());
        Assert.Equal(1, (await api.GetAsync(route + "?scope=inactive")).Json.GetArrayLength());
        Assert.Equal(0, (await api.GetAsync(route + "?scope=active")).Json.GetArrayLength());
    }

    [Fact]
    public async Task Only_the_owner_edits_a_schedule_until_a_Maintainer_takes_ownership()
    {
        await using var api = await ApiFixture.StartAsync();
        var project = await api.ProjectWithConfigAsync("demo", Yaml);
        var alice = await TriggerApiTests.AddAliceAsync(api, project, level: 40);
        var route = $"projects/{project}/pipeline_schedules";
        var id = (await api.PostAsync(route, """{"description": "root's", "ref": "main", "cron": "0 1 * * *"}""")).Json.GetProperty("id").GetInt64();

        var notOwner = await api.SendAsync(HttpMethod.Put, $"{route}/{id}", ApiFixture.AliceToken, """{"description": "alice's"}""");
        var asMaintainer = await api.GetAsync($"{route}/{id}", ApiFixture.AliceToken);
        var taken = await api.PostAsync($"{route}/{id}/take_ownership", token: ApiFixture.AliceToken);
        var takenAgain = await api.PostAsync($"{route}/{id}/take_ownership", token: ApiFixture.AliceToken);
        var edited = await api.SendAsync(HttpMethod.Put, $"{route}/{id}", ApiFixture.AliceToken, """{"description": "alice's", "active": false}""");

        Assert.Equal(HttpStatusCode.Forbidden, notOwner.Status);
        Assert.True(asMaintainer.Json.TryGetProperty("variables", out _)); // a Maintainer reads them
        Assert.Equal((HttpStatusCode.Created, "alice"), (taken.Status, taken.Json.GetProperty("owner").GetProperty("username").GetString()));
        Assert.Equal(HttpStatusCode.OK, takenAgain.Status);
        Assert.Equal(("alice's", false), (edited.Json.GetProperty("description").GetString(), edited.Json.GetProperty("active").GetBoolean()));
        Assert.Equal(alice, edited.Json.GetProperty("owner").GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task A_schedule_whose_owner_was_blocked_does_not_run_and_is_deactivated()
    {
        await using var api = await ApiFixture.StartAsync();
        var project = await api.ProjectWithConfigAsync("demo", Yaml);
        var alice = await TriggerApiTests.AddAliceAsync(api, project, level: 30);
        var route = $"projects/{project}/pipeline_schedules";
        var id = (await api.PostAsync(route, """{"description": "alice's", "ref": "main", "cron": "0 1 * * *"}""", ApiFixture.AliceToken)).Json.GetProperty("id").GetInt64();

        await api.PostAsync($"users/{alice}/block");
        var played = await api.PostAsync($"{route}/{id}/play");

        Assert.Equal(HttpStatusCode.Forbidden, played.Status);
        Assert.False((await api.GetAsync($"{route}/{id}")).Json.GetProperty("active").GetBoolean());
        Assert.Equal(0, (await api.GetAsync($"projects/{project}/pipelines")).Json.GetArrayLength());
    }
}

using System.Net;
using Relais.Server.Tests.Api;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Triggers;

/// <summary>
/// Pipeline trigger tokens (issue #14): <c>/projects/:id/triggers</c> CRUD and <c>POST /projects/:id/trigger/pipeline</c>,
/// driven through python-gitlab as a user's script does, and over plain HTTP for GitLab's status codes.
/// </summary>
public sealed class TriggerApiTests
{
    private const string Yaml = "build: {script: [echo $GREETING]}";

    [PythonGitLabFact]
    public async Task A_trigger_token_made_with_python_gitlab_runs_a_pipeline_as_its_owner_with_its_variables()
    {
        await using var api = await ApiFixture.StartAsync();
        var project = await api.ProjectWithConfigAsync("demo", Yaml);
        await api.PostAsync($"projects/{project}/variables", """{"key": "GREETING", "value": "from the project"}""");
        var (_, runner) = await api.Server.RegisterRunnerAsync();

        var result = await PythonGitLab.RunAsync(api.Server.Host.ExternalUrl, TestServer.RootToken, """
            p = gl.projects.get("root/demo")
            t = p.triggers.create({"description": "deploy"})
            pipeline = p.trigger_pipeline("main", t.token, variables={"GREETING": "from the trigger"})
            again = p.triggers.get(t.id)
            print(json.dumps({"token": t.token, "owner": t.owner["username"], "source": pipeline.source, "status": pipeline.status,
                              "listed": [x.description for x in p.triggers.list()], "last_used": again.last_used}))
            """);

        Assert.StartsWith("glptt-", result.GetProperty("token").GetString());
        Assert.Equal("root", result.GetProperty("owner").GetString());
        Assert.Equal("trigger", result.GetProperty("source").GetString());
        Assert.Equal(["deploy"], result.GetProperty("listed").EnumerateArray().Select(e => e.GetString()));
        Assert.NotNull(result.GetProperty("last_used").GetString());
        var job = (await api.Server.RequestJobAsync(runner))!;
        Assert.Equal("from the trigger", job.Variables.Last(v => v.Key == "GREETING").Value);
        Assert.Contains(job.Variables, v => v.Key == "CI_PIPELINE_SOURCE" && v.Value == "trigger");
        Assert.Contains(job.Variables, v => v.Key == "CI_PIPELINE_TRIGGERED" && v.Value == "true");
        Assert.Contains(job.Variables, v => v.Key == "GITLAB_USER_LOGIN" && v.Value == "root");
    }

    [Fact]
    public async Task Form_variables_and_the_webhook_route_trigger_without_any_other_credential()
    {
        await using var api = await ApiFixture.StartAsync();
        var project = await api.ProjectWithConfigAsync("demo", Yaml);
        var (_, runner) = await api.Server.RegisterRunnerAsync();
        var token = (await api.PostAsync($"projects/{project}/triggers", """{"description": "ci"}""")).Json.GetProperty("token").GetString()!;

        using var form = new FormUrlEncodedContent([new("token", token), new("ref", "main"), new("variables[GREETING]", "by form")]);
        using var byForm = await api.Server.Http.PostAsync($"api/v4/projects/{project}/trigger/pipeline", form);
        using var byHook = await api.Server.Http.PostAsync($"api/v4/projects/root%2Fdemo/ref/main/trigger/pipeline?token={token}&variables[GREETING]=by+hook", null);

        Assert.Equal(HttpStatusCode.Created, byForm.StatusCode);
        Assert.Equal(HttpStatusCode.Created, byHook.StatusCode);
        var greetings = new[] { (await api.Server.RequestJobAsync(runner))!, (await api.Server.RequestJobAsync(runner))! }
            .Select(j => j.Variables.Last(v => v.Key == "GREETING").Value).Order();
        Assert.Equal(["by form", "by hook"], greetings);
    }

    [Fact]
    public async Task Trigger_calls_answer_GitLabs_errors()
    {
        await using var api = await ApiFixture.StartAsync();
        var project = await api.ProjectWithConfigAsync("demo", Yaml);
        var token = (await api.PostAsync($"projects/{project}/triggers", """{"description": "ci"}""")).Json.GetProperty("token").GetString()!;

        var unknown = await api.PostAsync($"projects/{project}/trigger/pipeline", """{"ref": "main", "token": "glptt-nope"}""", token: null);
        var noRef = await api.PostAsync($"projects/{project}/trigger/pipeline", $$"""{"token": "{{token}}"}""", token: null);
        var noToken = await api.PostAsync($"projects/{project}/trigger/pipeline", """{"ref": "main"}""", token: null);
        var notStrings = await api.PostAsync($"projects/{project}/trigger/pipeline", $$$"""{"ref": "main", "token": "{{{token}}}", "variables": {"N": 1}}""", token: null);
        var noDescription = await api.PostAsync($"projects/{project}/triggers", "{}");
        var missing = await api.GetAsync($"projects/{project}/triggers/999");

        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Equal((HttpStatusCode.BadRequest, "ref is missing"), (noRef.Status, noRef.Json.GetProperty("error").GetString()));
        Assert.Equal((HttpStatusCode.BadRequest, "token is missing"), (noToken.Status, noToken.Json.GetProperty("error").GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, notStrings.Status);
        Assert.Contains("variables needs to be a map of key-valued strings", notStrings.Json.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.BadRequest, "description is missing"), (noDescription.Status, noDescription.Json.GetProperty("error").GetString()));
        Assert.Equal((HttpStatusCode.NotFound, "404 Trigger Not Found"), (missing.Status, missing.Json.GetProperty("message").GetString()));
        Assert.Equal(0, (await api.GetAsync($"projects/{project}/pipelines")).Json.GetArrayLength());
    }

    [Fact]
    public async Task Only_Maintainers_manage_triggers_and_only_the_owner_sees_the_whole_token()
    {
        await using var api = await ApiFixture.StartAsync();
        var project = await api.ProjectWithConfigAsync("demo", Yaml);
        var alice = await AddAliceAsync(api, project, level: 30);
        var created = await api.PostAsync($"projects/{project}/triggers", """{"description": "ci"}""");
        var tid = created.Json.GetProperty("id").GetInt64();

        var asDeveloper = await api.GetAsync($"projects/{project}/triggers", ApiFixture.AliceToken);
        await api.SendAsync(HttpMethod.Put, $"projects/{project}/members/{alice}", json: """{"access_level": 40}""");
        var asMaintainer = await api.GetAsync($"projects/{project}/triggers/{tid}", ApiFixture.AliceToken);
        var renamed = await api.SendAsync(HttpMethod.Put, $"projects/{project}/triggers/{tid}", ApiFixture.AliceToken, """{"description": "renamed"}""");
        var deleted = await api.SendAsync(HttpMethod.Delete, $"projects/{project}/triggers/{tid}", ApiFixture.AliceToken);

        Assert.Equal(HttpStatusCode.Forbidden, asDeveloper.Status);
        Assert.Equal(created.Json.GetProperty("token").GetString()![..4], asMaintainer.Json.GetProperty("token").GetString());
        Assert.Equal("renamed", renamed.Json.GetProperty("description").GetString());
        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.Equal(0, (await api.GetAsync($"projects/{project}/triggers")).Json.GetArrayLength());
    }

    [Fact]
    public async Task A_trigger_whose_owner_lost_access_is_refused()
    {
        await using var api = await ApiFixture.StartAsync();
        var project = await api.ProjectWithConfigAsync("demo", Yaml);
        var alice = await AddAliceAsync(api, project, level: 40);
        var token = (await api.PostAsync($"projects/{project}/triggers", """{"description": "alice's"}""", ApiFixture.AliceToken)).Json.GetProperty("token").GetString()!;

        await api.SendAsync(HttpMethod.Delete, $"projects/{project}/members/{alice}");
        var refused = await api.PostAsync($"projects/{project}/trigger/pipeline", $$"""{"ref": "main", "token": "{{token}}"}""", token: null);

        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Equal(0, (await api.GetAsync($"projects/{project}/pipelines")).Json.GetArrayLength());
    }

    /// <summary>Makes alice a member of the project at <paramref name="level"/> and returns her user id.</summary>
    internal static async Task<long> AddAliceAsync(ApiFixture api, long project, int level)
    {
        var alice = (await api.GetAsync("users?username=alice")).Json[0].GetProperty("id").GetInt64();
        var (status, _, _) = await api.PostAsync($"projects/{project}/members", $$"""{"user_id": {{alice}}, "access_level": {{level}}}""");
        Assert.Equal(HttpStatusCode.Created, status);
        return alice;
    }
}

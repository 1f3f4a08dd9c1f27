using System.Net;
using System.Text.Json;
using Relais.Server.Api;
using Relais.Server.Tests.Git;
using Relais.Server.Tests.Hostile;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Api;

/// <summary>Commit statuses from outside systems: GitLab's rules, through python-gitlab, in the commit's status and on the pipeline page.</summary>
public sealed class CommitStatusTests
{
    [Theory]
    [InlineData("created", "pending", "pending")]
    [InlineData("created", "running", "running")]
    [InlineData("created", "skipped", "skipped")]
    [InlineData("pending", "running", "running")]
    [InlineData("pending", "success", "success")]
    [InlineData("running", "failed", "failed")]
    [InlineData("running", "canceled", "canceled")]
    [InlineData("pending", "pending", null)]
    [InlineData("running", "running", null)]
    [InlineData("running", "pending", null)]
    [InlineData("pending", "skipped", null)]
    public void Statuses_move_by_GitLab_transitions(string from, string wanted, string? to)
    {
        var (next, problem) = CommitStatusRules.Move(from, wanted);
        Assert.Equal(to, next);
        Assert.Equal(to is null, problem is not null);
    }

    [Fact]
    public void A_refused_move_says_which_event_from_which_state_as_GitLab_does() =>
        Assert.Equal("Cannot transition status via :enqueue from :pending (Reason(s): Status cannot transition via \"enqueue\")", CommitStatusRules.Move("pending", "pending").Problem);

    [PythonGitLabFact]
    public async Task Python_gitlab_reports_statuses_that_update_in_place_while_active_and_make_the_commits_status()
    {
        await using var repo = await RepositoryApiFixture.StartAsync();
        var url = repo.Api.Server.Host.ExternalUrl;
        var result = await PythonGitLab.RunAsync(url, TestServer.RootToken, $$"""
            c = gl.projects.get({{repo.Project}}).commits.get('{{repo.Second}}')
            s1 = c.statuses.create({'state': 'pending', 'name': 'lint', 'target_url': 'https://ci.example.com/1', 'description': 'Linting'})
            s2 = c.statuses.create({'state': 'running', 'name': 'lint'})
            s3 = c.statuses.create({'state': 'success', 'name': 'lint', 'coverage': 87.5})
            s4 = c.statuses.create({'state': 'success', 'context': 'docs'})
            try:
                c.statuses.create({'state': 'running', 'name': 'docs'})
                c.statuses.create({'state': 'running', 'name': 'docs'})
                err = None
            except gitlab.GitlabCreateError as e:
                err = [e.response_code, e.error_message]
            print(json.dumps({'s': [s.attributes for s in (s1, s2, s3, s4)], 'err': err}))
            """);
        var s = result.GetProperty("s").EnumerateArray().ToList();
        Assert.Equal(s[0].GetProperty("id").GetInt64(), s[2].GetProperty("id").GetInt64());
        Assert.Equal("success", s[2].GetProperty("status").GetString());
        Assert.Equal(87.5, s[2].GetProperty("coverage").GetDouble());
        Assert.Equal("https://ci.example.com/1", s[2].GetProperty("target_url").GetString());
        Assert.Equal("main", s[2].GetProperty("ref").GetString());
        Assert.Equal("root", s[2].GetProperty("author").GetProperty("username").GetString());
        Assert.NotEqual(JsonValueKind.Null, s[2].GetProperty("finished_at").ValueKind);
        Assert.Equal("docs", s[3].GetProperty("name").GetString());
        Assert.Equal(400, result.GetProperty("err")[0].GetInt32());
        Assert.Equal("Cannot transition status via :run from :running (Reason(s): Status cannot transition via \"run\")", result.GetProperty("err")[1].GetString());

        // "docs" finished, so the next report started a new one: the latest of each name, or all with all=true.
        var statuses = $"projects/{repo.Project}/repository/commits/{repo.Second}/statuses";
        var (_, latest, _) = await repo.Api.GetAsync(statuses);
        Assert.Equal(["lint", "docs"], latest.EnumerateArray().Select(x => x.GetProperty("name").GetString()));
        Assert.Equal(3, (await repo.Api.GetAsync(statuses + "?all=true")).Json.GetArrayLength());
        Assert.Equal(1, (await repo.Api.GetAsync(statuses + "?name=lint")).Json.GetArrayLength());
        Assert.Equal(0, (await repo.Api.GetAsync(statuses + "?stage=test")).Json.GetArrayLength());

        // No pipeline for this commit: its statuses alone make its status (running: docs runs).
        var (_, commit, _) = await repo.Api.GetAsync($"projects/{repo.Project}/repository/commits/{repo.Second}");
        Assert.Equal("running", commit.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, commit.GetProperty("last_pipeline").ValueKind);
    }

    [Fact]
    public async Task Bad_reports_are_refused_and_a_reporter_cannot_report()
    {
        await using var repo = await RepositoryApiFixture.StartAsync();
        var route = $"projects/{repo.Project}/statuses/{repo.Second}";
        Assert.Equal("400 Bad request - state is missing", (await repo.Api.PostAsync(route, """{"name":"x"}""")).Json.GetProperty("message").GetString());
        Assert.Equal("400 Bad request - state does not have a valid value", (await repo.Api.PostAsync(route, """{"state":"passed"}""")).Json.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await repo.Api.PostAsync(route, """{"state":"pending","target_url":"javascript:alert(1)"}""")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await repo.Api.PostAsync(route, """{"state":"pending","coverage":"lots"}""")).Status);
        Assert.Equal("404 Commit Not Found", (await repo.Api.PostAsync($"projects/{repo.Project}/statuses/{new string('a', 40)}", """{"state":"pending"}""")).Json.GetProperty("message").GetString());
        Assert.Equal("404 Pipeline for pipeline_id, sha and ref Not Found", (await repo.Api.PostAsync(route, """{"state":"pending","pipeline_id":999}""")).Json.GetProperty("message").GetString());

        var (_, project, _) = await repo.Api.SendAsync(HttpMethod.Put, $"projects/{repo.Project}", json: """{"visibility":"public"}""");
        Assert.Equal("public", project.GetProperty("visibility").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await repo.Api.PostAsync(route, """{"state":"pending"}""", ApiFixture.AliceToken)).Status);
        Assert.Equal(HttpStatusCode.OK, (await repo.Api.GetAsync($"projects/{repo.Project}/repository/commits/{repo.Second}/statuses", ApiFixture.AliceToken)).Status);
    }

    [Fact]
    public async Task A_status_joins_the_commits_pipeline_and_the_pipeline_page_shows_it_under_External()
    {
        await using var server = await SessionClients.StartAsync();
        using var git = GitClient.Init();
        git.Write(".gitlab-ci.yml", "build:\n  script: [echo hi]\n");
        var sha = git.Commit("With CI");
        git.Ok("push", "--quiet", $"http://root:{TestServer.RootToken}@127.0.0.1:{server.Port}/root/demo.git", "main");
        using var api = new HttpClient { BaseAddress = new Uri(server.Host.ExternalUrl + "/api/v4/") };
        api.DefaultRequestHeaders.Add("PRIVATE-TOKEN", TestServer.RootToken);
        var pipeline = JsonDocument.Parse(await api.GetStringAsync($"projects/root%2Fdemo/pipelines?sha={sha}")).RootElement[0].GetProperty("id").GetInt64();
        Assert.Equal(0, JsonDocument.Parse(await api.GetStringAsync($"projects/root%2Fdemo/pipelines?sha={new string('0', 40)}")).RootElement.GetArrayLength());

        using var posted = await api.PostAsync($"projects/root%2Fdemo/statuses/{sha}", TestServer.Json("""{"state":"failed","name":"<b>security</b>","target_url":"https://scan.example.com/r?a=1&b=2","description":"2 findings"}"""));
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        Assert.Equal(pipeline, JsonDocument.Parse(await posted.Content.ReadAsStringAsync()).RootElement.GetProperty("pipeline_id").GetInt64());
        var commit = JsonDocument.Parse(await api.GetStringAsync($"projects/root%2Fdemo/repository/commits/{sha}")).RootElement;
        Assert.Equal(pipeline, commit.GetProperty("last_pipeline").GetProperty("id").GetInt64());
        // GitLab's composite: a pipeline whose job still waits for a runner, with a failed external job, is running.
        Assert.Equal("running", commit.GetProperty("status").GetString());

        using var browser = await SessionClients.SignedInAsync(server, "root", SessionClients.RootPassword);
        var page = await browser.GetStringAsync($"root/demo/-/pipelines/{pipeline}");
        Assert.Contains("<h2 id=\"external-title\">External</h2>", page, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;security&lt;/b&gt;", page, StringComparison.Ordinal);
        Assert.Contains("href=\"https://scan.example.com/r?a=1&amp;b=2\"", page, StringComparison.Ordinal);
        Assert.Contains("2 findings", page, StringComparison.Ordinal);
    }
}

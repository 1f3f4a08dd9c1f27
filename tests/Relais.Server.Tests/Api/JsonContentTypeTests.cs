using System.Net;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Api;

/// <summary>
/// Every JSON answer of the REST and runner APIs has the content type exactly <c>application/json</c>, as GitLab sends
/// it: python-gitlab compares the header verbatim (its <c>http_post</c> to <c>/user/runners</c> failed on a charset).
/// </summary>
public sealed class JsonContentTypeTests
{
    [Fact]
    public async Task Answers_errors_and_runner_calls_are_application_json_without_a_charset()
    {
        await using var api = await ApiFixture.StartAsync();
        var project = await api.ProjectWithConfigAsync("demo", "build: {script: [echo]}");
        var answers = new List<(string What, HttpResponseMessage Response)>
        {
            ("projects", (await api.GetAsync("projects")).Response),
            ("project", (await api.GetAsync($"projects/{project}")).Response),
            ("missing project", (await api.GetAsync("projects/999")).Response),
            ("unknown route", (await api.GetAsync("no/such/route")).Response),
            ("bad token", (await api.GetAsync("user", "glpat-wrong")).Response),
            ("releases", (await api.GetAsync($"projects/{project}/releases")).Response),
            ("packages", (await api.GetAsync($"projects/{project}/packages")).Response),
        };
        using (var runner = new HttpRequestMessage(HttpMethod.Post, "api/v4/user/runners") { Content = TestServer.Json("""{"runner_type": "instance_type"}""") })
        {
            runner.Headers.Add("PRIVATE-TOKEN", TestServer.RootToken);
            answers.Add(("POST /user/runners", await api.Server.Http.SendAsync(runner)));
        }

        answers.Add(("runner verify with a bad token", await api.Server.Http.PostAsync("api/v4/runners/verify", TestServer.Json("""{"token": "nope"}"""))));
        answers.Add(("job request with a bad token", await api.Server.Http.PostAsync("api/v4/jobs/request", TestServer.Json("""{"token": "nope"}"""))));

        foreach (var (what, response) in answers)
        {
            Assert.True(response.Content.Headers.ContentType?.ToString() == "application/json", $"{what} ({(int)response.StatusCode}): {response.Content.Headers.ContentType}");
            response.Dispose();
        }

        Assert.Contains(answers, a => a.Response.StatusCode == HttpStatusCode.Forbidden || a.Response.StatusCode == HttpStatusCode.Unauthorized);
    }

    [PythonGitLabFact]
    public async Task Python_gitlab_creates_a_runner_with_http_post_to_user_runners()
    {
        await using var api = await ApiFixture.StartAsync();

        var result = await PythonGitLab.RunAsync(api.Server.Host.ExternalUrl, TestServer.RootToken, """
            r = gl.http_post("/user/runners", post_data={"runner_type": "instance_type", "description": "from python"})
            print(json.dumps({"token": r["token"][:5], "id": r["id"]}))
            """);

        Assert.True(result.GetProperty("id").GetInt64() > 0);
    }
}

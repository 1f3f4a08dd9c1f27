using System.Net;
using System.Text.Json;
using Dapper;
using Relais.Server.Storage;
using Relais.Web.Tests.Support;

namespace Relais.Web.Tests;

/// <summary>
/// GitLab's "Run pipeline" page over real HTTP (issue #14): linked from the pipelines page for Developers, a ref and a
/// variables table (prefilled from <c>var[KEY]</c>), and running goes through the API's code with source <c>web</c>,
/// the signed-in user and the variables kept as the pipeline's own.
/// </summary>
public sealed class RunPipelinePageTests : IAsyncLifetime
{
    private WebServer _server = null!;

    public async Task InitializeAsync() => _server = await WebServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_developer_runs_a_pipeline_with_variables_from_the_page()
    {
        var project = await _server.Host.Stores.Projects.EnsureProjectAsync("root/demo", "main", DateTimeOffset.UtcNow);
        await SaveConfigAsync(project.Id, "build: {script: [echo $GREETING]}");
        using var root = _server.NewClient(out _);
        (await WebServer.SignInAsync(root, "root", WebServer.RootPassword)).Dispose();
        Assert.Contains("href=\"/root/demo/-/pipelines/new\"", await root.GetStringAsync("root/demo/-/pipelines"));

        var page = await root.GetStringAsync("root/demo/-/pipelines/new?var[GREETING]=hi%20%3Cthere%3E");
        Assert.Contains("name=\"ref\" value=\"main\"", page);
        Assert.Contains("value=\"GREETING\"", page);
        Assert.Contains("hi &lt;there&gt;</textarea>", page);
        var token = WebServer.HiddenToken(page);

        using var bad = await root.PostAsync("root/demo/-/pipelines", Form(token, ("ref", "main"), ("variables[][variable_type]", "env_var"), ("variables[][key]", "BAD KEY"), ("variables[][value]", "x")));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("variables key is invalid", await bad.Content.ReadAsStringAsync());

        using var run = await root.PostAsync("root/demo/-/pipelines", Form(token,
            ("ref", "main"),
            ("variables[][variable_type]", "env_var"), ("variables[][key]", "GREETING"), ("variables[][value]", "hello"),
            ("variables[][variable_type]", "file"), ("variables[][key]", "CONFIG"), ("variables[][value]", "a=1"),
            ("variables[][variable_type]", "env_var"), ("variables[][key]", ""), ("variables[][value]", "")));
        Assert.Equal(HttpStatusCode.Redirect, run.StatusCode);
        var id = long.Parse(run.Headers.Location!.OriginalString.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);

        using var api = new HttpClient { BaseAddress = new Uri(_server.Url + "/api/v4/") };
        api.DefaultRequestHeaders.Add("PRIVATE-TOKEN", WebServer.RootToken);
        using var pipeline = JsonDocument.Parse(await api.GetStringAsync($"projects/{project.Id}/pipelines/{id}"));
        Assert.Equal("web", pipeline.RootElement.GetProperty("source").GetString());
        Assert.Equal("root", pipeline.RootElement.GetProperty("user").GetProperty("username").GetString());
        Assert.Equal(
            """[{"key":"GREETING","value":"hello","variable_type":"env_var","raw":false},{"key":"CONFIG","value":"a=1","variable_type":"file","raw":false}]""",
            await api.GetStringAsync($"projects/{project.Id}/pipelines/{id}/variables"));

        using var alice = _server.NewClient(out _);
        (await WebServer.SignInAsync(alice, null, WebServer.AliceToken, withToken: true)).Dispose();
        using var hidden = await alice.GetAsync("root/demo/-/pipelines/new");
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
    }

    private async Task SaveConfigAsync(long projectId, string yaml)
    {
        await using var db = Databases.Open(_server.Host.Options.Database, _server.Host.Options.DataDir);
        await using var c = await db.OpenAsync();
        await c.ExecuteAsync(
            "INSERT INTO project_ci_configs (project_id, content, updated_at) VALUES (@projectId, @yaml, @now)",
            new { projectId, yaml, now = DateTimeOffset.UnixEpoch });
    }

    private static FormUrlEncodedContent Form(string token, params (string Key, string Value)[] fields) =>
        new([new("authenticity_token", token), .. fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value))]);
}

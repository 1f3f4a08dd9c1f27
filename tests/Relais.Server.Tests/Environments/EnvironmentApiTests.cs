using System.Globalization;
using System.Net;
using Relais.Server.Api;
using Relais.Server.Storage;
using Relais.Server.Tests.Api;
using Relais.Server.Tests.Support;
using Relais.Server.Tests.Triggers;

namespace Relais.Server.Tests.Environments;

/// <summary>
/// <c>/projects/:id/environments</c> (issue #16): CRUD and stop through python-gitlab, GitLab's errors, pagination and
/// roles over plain HTTP, and <c>stop_stale</c>.
/// </summary>
public sealed class EnvironmentApiTests
{
    private const string Yaml = "build: {script: [echo]}";

    [PythonGitLabFact]
    public async Task Python_gitlab_creates_lists_updates_stops_and_deletes_an_environment()
    {
        await using var api = await ApiFixture.StartAsync();
        var project = await api.ProjectWithConfigAsync("demo", Yaml);
        await api.PostAsync($"projects/{project}/environments", """{"name":"production"}""");

        var result = await PythonGitLab.RunAsync(api.Server.Host.ExternalUrl, TestServer.RootToken, $$"""
            p = gl.projects.get({{project}})
            e = p.environments.create({"name": "review/feature-x", "external_url": "https://x.example.com"})
            made = e.attributes
            e.external_url = "https://feature-x.example.com"
            e.save()
            got = p.environments.get(e.id).attributes
            searched = [x.name for x in p.environments.list(search="feat")]
            named = [x.name for x in p.environments.list(name="production")]
            stopped = e.stop()
            listed_stopped = [x.name for x in p.environments.list(states="stopped")]
            p.environments.delete(e.id)
            left = [x.name for x in p.environments.list(all=True)]
            print(json.dumps({"made": made, "got": got, "searched": searched, "named": named, "stopped": stopped, "listed_stopped": listed_stopped, "left": left}))
            """);

        var made = result.GetProperty("made");
        Assert.Equal("review-feature-x-bjrazc", made.GetProperty("slug").GetString());
        Assert.Equal("development", made.GetProperty("tier").GetString());
        Assert.Equal("available", made.GetProperty("state").GetString());
        Assert.Equal("root/demo", made.GetProperty("project").GetProperty("path_with_namespace").GetString());
        var got = result.GetProperty("got");
        Assert.Equal("https://feature-x.example.com", got.GetProperty("external_url").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, got.GetProperty("flux_resource_path").ValueKind);
        Assert.False(got.TryGetProperty("project", out _));
        Assert.Equal(["review/feature-x"], result.GetProperty("searched").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["production"], result.GetProperty("named").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("stopped", result.GetProperty("stopped").GetProperty("state").GetString());
        Assert.Equal(["review/feature-x"], result.GetProperty("listed_stopped").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["production"], result.GetProperty("left").EnumerateArray().Select(e => e.GetString()));
    }

    [PythonGitLabFact]
    public async Task Python_gitlabs_stop_plays_the_on_stop_job_and_force_stops_at_once()
    {
        await using var api = await ApiFixture.StartAsync();
        var project = await api.ProjectWithConfigAsync("demo", EnvironmentStoppingTests.ReviewApp);
        var pipeline = await api.RunPipelineAsync(project);
        var stores = api.Server.Host.Stores;
        var deployJob = (await stores.Pipelines.JobsOfPipelineAsync(pipeline)).Single(j => j.Name == "deploy_review");
        var review = await stores.Environments.EnsureAsync(project, "review/feature-x", "review-feature-x-bjrazc", "development", DateTimeOffset.UtcNow);
        var d = await DeploymentFlow.SucceededAsync(api.Server, deployJob.Id); // the pipeline made the job's deployment

        var result = await PythonGitLab.RunAsync(api.Server.Host.ExternalUrl, TestServer.RootToken, $$"""
            p = gl.projects.get({{project}})
            e = p.environments.get({{review.Id}})
            first = e.stop()
            jobs = {j.name: j.status for j in p.jobs.list(all=True)}
            forced = gl.http_post(f"/projects/{p.id}/environments/{e.id}/stop", post_data={"force": True})
            print(json.dumps({"first": first["state"], "jobs": jobs, "forced": forced["state"]}))
            """);

        Assert.Equal("stopping", result.GetProperty("first").GetString());
        Assert.Equal("pending", result.GetProperty("jobs").GetProperty("stop_review").GetString());
        Assert.Equal("stopped", result.GetProperty("forced").GetString());
        Assert.Equal(d.Id, (await stores.Deployments.LastAsync(review.Id))!.Id);
    }

    [Fact]
    public async Task Environments_answer_GitLabs_errors()
    {
        await using var api = await ApiFixture.StartAsync();
        var project = await api.ProjectWithConfigAsync("demo", Yaml);
        var route = $"projects/{project}/environments";
        var staging = (await api.PostAsync(route, """{"name":"staging","tier":"staging"}""")).Json.GetProperty("id").GetInt64();

        var duplicate = await api.PostAsync(route, """{"name":"staging"}""");
        var badName = await api.PostAsync(route, """{"name":"/staging"}""");
        var noName = await api.PostAsync(route, """{"external_url":"https://example.com"}""");
        var badTier = await api.PostAsync(route, """{"name":"qa","tier":"prod"}""");
        var badUrl = await api.PostAsync(route, """{"name":"qa","external_url":"ftp://example.com"}""");
        var slug = await api.PostAsync(route, """{"name":"qa","slug":"mine"}""");
        var missing = await api.GetAsync(route + "/9999");
        var deleteAvailable = await api.SendAsync(HttpMethod.Delete, $"{route}/{staging}");
        var both = await api.GetAsync(route + "?name=staging&search=sta");
        var shortSearch = await api.GetAsync(route + "?search=st");
        var badState = await api.GetAsync(route + "?states=sleeping");

        Assert.Equal((HttpStatusCode.BadRequest, "has already been taken"), (duplicate.Status, duplicate.Json.GetProperty("message").GetProperty("name")[0].GetString()));
        Assert.Equal(EnvironmentInput.NameRule, badName.Json.GetProperty("message").GetProperty("name")[0].GetString());
        Assert.Equal((HttpStatusCode.BadRequest, "name is missing"), (noName.Status, noName.Json.GetProperty("error").GetString()));
        Assert.Equal("tier does not have a valid value", badTier.Json.GetProperty("error").GetString());
        Assert.Equal("is blocked: Only allowed schemes are http, https", badUrl.Json.GetProperty("message").GetProperty("external_url")[0].GetString());
        Assert.Equal("slug is automatically generated and cannot be changed", slug.Json.GetProperty("error").GetString());
        Assert.Equal((HttpStatusCode.NotFound, "404 Not found"), (missing.Status, missing.Json.GetProperty("message").GetString()));
        Assert.Equal(HttpStatusCode.Forbidden, deleteAvailable.Status);
        Assert.Equal((HttpStatusCode.BadRequest, "name, search cannot be used together"), (both.Status, both.Json.GetProperty("error").GetString()));
        Assert.Equal("400 Bad request - Search query is less than 3 characters", shortSearch.Json.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, badState.Status);
        Assert.Equal(1, (await api.GetAsync(route)).Json.GetArrayLength());
    }

    [Fact]
    public async Task The_list_is_paginated_with_GitLabs_headers()
    {
        await using var api = await ApiFixture.StartAsync();
        var project = await api.ProjectWithConfigAsync("demo", Yaml);
        foreach (var name in (string[])["one", "two", "three"])
        {
            await api.PostAsync($"projects/{project}/environments", $$"""{"name":"{{name}}"}""");
        }

        var (_, first, response) = await api.GetAsync($"projects/{project}/environments?per_page=2");
        var (_, second, _) = await api.GetAsync($"projects/{project}/environments?per_page=2&page=2");

        Assert.Equal(["one", "two"], first.EnumerateArray().Select(e => e.GetProperty("name").GetString()));
        Assert.Equal(["three"], second.EnumerateArray().Select(e => e.GetProperty("name").GetString()));
        Assert.Equal("3", response.Headers.GetValues("X-Total").Single());
        Assert.Contains("rel=\"next\"", response.Headers.GetValues("Link").Single(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(20, HttpStatusCode.OK, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden)]
    [InlineData(30, HttpStatusCode.OK, HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.Forbidden)]
    [InlineData(40, HttpStatusCode.OK, HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.OK)]
    public async Task Reporters_read_Developers_write_and_stop_Maintainers_stop_stale_ones(
        int level, HttpStatusCode read, HttpStatusCode create, HttpStatusCode stop, HttpStatusCode stopStale)
    {
        await using var api = await ApiFixture.StartAsync();
        var project = await api.ProjectWithConfigAsync("demo", Yaml);
        var route = $"projects/{project}/environments";
        var staging = (await api.PostAsync(route, """{"name":"staging"}""")).Json.GetProperty("id").GetInt64();
        var unseen = await api.GetAsync(route, ApiFixture.AliceToken);
        await TriggerApiTests.AddAliceAsync(api, project, level);
        var before = DateTimeOffset.UtcNow.AddDays(-30).ToString("o", CultureInfo.InvariantCulture);

        Assert.Equal(HttpStatusCode.NotFound, unseen.Status);
        Assert.Equal(read, (await api.GetAsync($"{route}/{staging}", ApiFixture.AliceToken)).Status);
        Assert.Equal(create, (await api.PostAsync(route, """{"name":"mine"}""", ApiFixture.AliceToken)).Status);
        Assert.Equal(create == HttpStatusCode.Created ? HttpStatusCode.OK : HttpStatusCode.Forbidden,
            (await api.SendAsync(HttpMethod.Put, $"{route}/{staging}", ApiFixture.AliceToken, """{"external_url":"https://s.example.com"}""")).Status);
        Assert.Equal(stop, (await api.PostAsync($"{route}/{staging}/stop", null, ApiFixture.AliceToken)).Status);
        Assert.Equal(stop == HttpStatusCode.OK ? HttpStatusCode.NoContent : HttpStatusCode.Forbidden,
            (await api.SendAsync(HttpMethod.Delete, $"{route}/{staging}", ApiFixture.AliceToken)).Status);
        Assert.Equal(stopStale, (await api.PostAsync($"{route}/stop_stale?before={Uri.EscapeDataString(before)}", null, ApiFixture.AliceToken)).Status);
    }

    [Fact]
    public async Task A_job_token_reads_its_own_projects_environments_and_another_projects_only_when_allowlisted()
    {
        await using var api = await ApiFixture.StartAsync();
        var own = await api.ProjectWithConfigAsync("own", Yaml);
        var other = await api.ProjectWithConfigAsync("other", Yaml);
        await api.PostAsync($"projects/{other}/environments", """{"name":"production"}""");
        var (_, runner) = await api.Server.RegisterRunnerAsync();
        await api.RunPipelineAsync(own);
        var job = (await api.Server.RequestJobAsync(runner))!;

        var created = await JobTokenAsync(api, HttpMethod.Post, $"projects/{own}/environments", job.Token, """{"name":"from-a-job"}""");
        var refused = await JobTokenAsync(api, HttpMethod.Get, $"projects/{other}/environments", job.Token);
        await api.PostAsync($"projects/{other}/job_token_scope/allowlist", $$"""{"target_project_id": {{own}}}""");
        var allowed = await JobTokenAsync(api, HttpMethod.Get, $"projects/{other}/environments", job.Token);

        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal(HttpStatusCode.Forbidden, refused);
        Assert.Equal(HttpStatusCode.OK, allowed);
    }

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task Stop_stale_stops_available_environments_neither_changed_nor_deployed_to_since_before(string store)
    {
        await using var api = await ApiFixture.StartAsync(store);
        var project = await api.ProjectWithConfigAsync("demo", Yaml);
        var now = DateTimeOffset.UtcNow;
        var environments = api.Server.Host.Stores.Environments;
        var old = await environments.EnsureAsync(project, "old", "old", "other", now.AddDays(-60));
        var oldDeployedLately = await environments.EnsureAsync(project, "old-deployed", "old-deployed", "other", now.AddDays(-60));
        await api.Server.Host.Stores.Deployments.CreateAsync(new NewDeployment(project, oldDeployedLately.Id, null, null, "main", false, new string('a', 40), null, DeploymentStatuses.Success), now.AddDays(-1));
        var oldDeployedLongAgo = await environments.EnsureAsync(project, "old-deployed-long-ago", "old-deployed-long-ago", "other", now.AddDays(-60));
        await api.Server.Host.Stores.Deployments.CreateAsync(new NewDeployment(project, oldDeployedLongAgo.Id, null, null, "main", false, new string('a', 40), null, DeploymentStatuses.Success), now.AddDays(-50));
        await environments.EnsureAsync(project, "fresh", "fresh", "other", now);
        var route = $"projects/{project}/environments/stop_stale";

        var tooRecent = await api.PostAsync($"{route}?before={Uri.EscapeDataString(now.AddDays(-1).ToString("o", CultureInfo.InvariantCulture))}");
        var noBefore = await api.PostAsync(route);
        var done = await api.PostAsync($"{route}?before={Uri.EscapeDataString(now.AddDays(-30).ToString("o", CultureInfo.InvariantCulture))}");

        Assert.Equal((HttpStatusCode.BadRequest, "400 Bad request - Invalid Date"), (tooRecent.Status, tooRecent.Json.GetProperty("message").GetString()));
        Assert.Equal("before is missing", noBefore.Json.GetProperty("error").GetString());
        Assert.Equal((HttpStatusCode.OK, "Successfully requested stop for all stale environments"), (done.Status, done.Json.GetProperty("message").GetString()));
        var states = (await api.GetAsync($"projects/{project}/environments")).Json.EnumerateArray()
            .ToDictionary(e => e.GetProperty("name").GetString()!, e => e.GetProperty("state").GetString());
        Assert.Equal("stopped", states["old"]);
        Assert.Equal("stopped", states["old-deployed-long-ago"]);
        Assert.Equal("available", states["old-deployed"]);
        Assert.Equal("available", states["fresh"]);
        Assert.Equal(old.Id, (await environments.FindAsync(project, "old"))!.Id);
    }

    /// <summary>A call with <c>JOB-TOKEN</c>: its status.</summary>
    internal static async Task<HttpStatusCode> JobTokenAsync(ApiFixture api, HttpMethod method, string path, string token, string? json = null)
    {
        using var request = new HttpRequestMessage(method, "api/v4/" + path);
        request.Headers.Add("JOB-TOKEN", token);
        if (json is not null)
        {
            request.Content = TestServer.Json(json);
        }

        using var response = await api.Server.Http.SendAsync(request);
        return response.StatusCode;
    }
}

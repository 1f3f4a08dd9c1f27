using System.Net;
using System.Text.Json;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Api;

/// <summary>
/// Downloading artifacts through the REST API (issue #14): by job, one file inside the archive, and the named job of
/// a ref's latest successful pipeline, with GitLab's status codes and 404 bodies, HEAD, dotted and slashed refs, and a
/// CI/CD job token within the job token scope.
/// </summary>
public sealed class JobArtifactDownloadTests
{
    private const string Build = "build: {script: [make], artifacts: {paths: [out/]}}";

    [PythonGitLabFact]
    public async Task Python_gitlab_downloads_the_latest_successful_artifacts_of_a_branch_by_job_name_and_one_file()
    {
        await using var api = await ApiFixture.StartAsync();
        var project = await api.ProjectWithConfigAsync("demo", Build);
        var (_, runner) = await api.Server.RegisterRunnerAsync();
        await api.RunPipelineAsync(project);
        await JobSteps.RunAsync(api.Server, runner, "success", ("out/app.txt", "one"));
        await api.RunPipelineAsync(project);
        var latest = await JobSteps.RunAsync(api.Server, runner, "success", ("out/app.txt", "two"), ("out/page.html", "<p>hi</p>"));
        await api.RunPipelineAsync(project);
        await JobSteps.RunAsync(api.Server, runner, "failed", ("out/app.txt", "three")); // a failed pipeline is not "latest successful"

        var result = await PythonGitLab.RunAsync(api.Server.Host.ExternalUrl, TestServer.RootToken, $$"""
            import io, zipfile
            p = gl.projects.get({{project}})
            archive = zipfile.ZipFile(io.BytesIO(p.artifacts.download(ref_name='main', job='build')))
            job = p.jobs.get({{latest.Id}})
            print(json.dumps({
                'by_ref': archive.read('out/app.txt').decode(),
                'raw': p.artifacts.raw('main', 'out/app.txt', 'build').decode(),
                'by_job': zipfile.ZipFile(io.BytesIO(job.artifacts())).read('out/app.txt').decode(),
                'one_file': job.artifact('out/app.txt').decode(),
                'file': job.artifacts_file,
                'artifacts': job.attributes['artifacts'],
            }))
            """);

        Assert.Equal("two", result.GetProperty("by_ref").GetString());
        Assert.Equal("two", result.GetProperty("raw").GetString());
        Assert.Equal("two", result.GetProperty("by_job").GetString());
        Assert.Equal("two", result.GetProperty("one_file").GetString());
        Assert.Equal("artifacts.zip", result.GetProperty("file").GetProperty("filename").GetString());
        var artifact = Assert.Single(result.GetProperty("artifacts").EnumerateArray());
        Assert.Equal("archive", artifact.GetProperty("file_type").GetString());
        Assert.Equal("zip", artifact.GetProperty("file_format").GetString());
    }

    [Fact]
    public async Task A_file_is_streamed_typed_by_extension_as_an_attachment_and_HEAD_answers_the_same_headers_without_a_body()
    {
        await using var api = await ApiFixture.StartAsync();
        var project = await api.ProjectWithConfigAsync("demo", Build);
        var (_, runner) = await api.Server.RegisterRunnerAsync();
        await api.RunPipelineAsync(project);
        var job = await JobSteps.RunAsync(api.Server, runner, "success", ("out/page.html", "<script>alert(1)</script>"), ("out/data.json", "{}"));

        var (status, _, html) = await api.GetAsync($"projects/{project}/jobs/{job.Id}/artifacts/out/page.html");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("text/html", html.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", html.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("nosniff", html.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("sandbox", html.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("<script>alert(1)</script>", await html.Content.ReadAsStringAsync());

        foreach (var path in new[] { $"projects/{project}/jobs/{job.Id}/artifacts/out/data.json", $"projects/{project}/jobs/{job.Id}/artifacts", $"projects/{project}/jobs/artifacts/main/download?job=build", $"projects/{project}/jobs/artifacts/main/raw/out/data.json?job=build" })
        {
            var (getStatus, _, get) = await api.GetAsync(path);
            var (headStatus, _, head) = await api.SendAsync(HttpMethod.Head, path);
            Assert.Equal(HttpStatusCode.OK, getStatus);
            Assert.Equal(HttpStatusCode.OK, headStatus);
            Assert.Equal(get.Content.Headers.ContentType?.MediaType, head.Content.Headers.ContentType?.MediaType);
            Assert.Equal((await get.Content.ReadAsByteArrayAsync()).Length, head.Content.Headers.ContentLength);
            Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        }
    }

    [Fact]
    public async Task Refs_with_dots_and_slashes_route_and_every_absent_thing_is_a_404_with_GitLabs_json_body()
    {
        await using var api = await ApiFixture.StartAsync();
        var project = await api.ProjectWithConfigAsync("demo", Build);
        var (_, runner) = await api.Server.RegisterRunnerAsync();
        await api.RunPipelineAsync(project, "v1.0");
        await JobSteps.RunAsync(api.Server, runner, "success", ("out/v.txt", "dotted"));
        await api.RunPipelineAsync(project, "feature%2Fx");
        var feature = await JobSteps.RunAsync(api.Server, runner, "success", ("out/v.txt", "slashed"));

        Assert.Equal("dotted", await ReadEntryAsync(api, $"projects/{project}/jobs/artifacts/v1.0/raw/out/v.txt?job=build"));
        Assert.Equal("slashed", await ReadEntryAsync(api, $"projects/{project}/jobs/artifacts/feature%2Fx/raw/out/v.txt?job=build"));
        var (slashed, _, _) = await api.GetAsync($"projects/{project}/jobs/artifacts/feature/x/download?job=build");
        Assert.Equal(HttpStatusCode.OK, slashed);
        var (dotted, _, _) = await api.GetAsync($"projects/root%2Fdemo/jobs/artifacts/v1.0/download?job=build");
        Assert.Equal(HttpStatusCode.OK, dotted);

        await AssertNotFoundAsync(api, $"projects/{project}/jobs/artifacts/v2.0/download?job=build", "404 Not found");
        await AssertNotFoundAsync(api, $"projects/{project}/jobs/artifacts/v1.0/download?job=nope", "404 Not found");
        await AssertNotFoundAsync(api, $"projects/{project}/jobs/{feature.Id}/artifacts/out/missing.txt", "404 Not Found");
        await AssertNotFoundAsync(api, $"projects/{project}/jobs/{feature.Id}/artifacts/out/v.txt.bak", "404 Not Found");
        await AssertNotFoundAsync(api, $"projects/{project}/jobs/999999/artifacts/a.txt", "404 Job Not Found");
        await AssertNotFoundAsync(api, $"projects/{project}/jobs/999999/artifacts", "404 Job Not Found");
        await AssertNotFoundAsync(api, "projects/404/jobs/artifacts/v1.0/download?job=build", "404 Project Not Found");
        var (missingJob, body, _) = await api.GetAsync($"projects/{project}/jobs/artifacts/v1.0/download");
        Assert.Equal(HttpStatusCode.BadRequest, missingJob);
        Assert.Equal("job is missing", body.GetProperty("error").GetString());
        var (badPath, _, _) = await api.GetAsync($"projects/{project}/jobs/{feature.Id}/artifacts/out/..%2F..%2Fsecret");
        Assert.Equal(HttpStatusCode.BadRequest, badPath);
    }

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task A_job_token_downloads_artifacts_of_its_project_and_of_projects_that_allowlist_it_only_while_it_runs(string store)
    {
        await using var api = await ApiFixture.StartAsync(store);
        var library = await api.ProjectWithConfigAsync("library", Build);
        var app = await api.ProjectWithConfigAsync("app", "use: {script: [fetch]}");
        var (_, runner) = await api.Server.RegisterRunnerAsync();
        await api.RunPipelineAsync(library);
        var built = await JobSteps.RunAsync(api.Server, runner, "success", ("out/lib.so", "binary"));
        await api.RunPipelineAsync(app);
        var consumer = (await api.Server.RequestJobAsync(runner))!;

        var byRef = $"projects/{library}/jobs/artifacts/main/raw/out/lib.so?job=build";
        var (denied, deniedBody, _) = await WithJobTokenAsync(api, byRef, consumer.Token);
        Assert.Equal(HttpStatusCode.Forbidden, denied);
        Assert.Contains("allowlist", deniedBody.GetProperty("message").GetString(), StringComparison.Ordinal);

        await api.Server.Host.Stores.JobTokenScopes.AddAllowedAsync(library, app, DateTimeOffset.UtcNow);
        var (allowed, _, file) = await WithJobTokenAsync(api, byRef, consumer.Token);
        Assert.Equal(HttpStatusCode.OK, allowed);
        Assert.Equal("binary", await file.Content.ReadAsStringAsync());
        var (byId, _, _) = await WithJobTokenAsync(api, $"projects/{library}/jobs/{built.Id}/artifacts?job_token={consumer.Token}", token: null);
        Assert.Equal(HttpStatusCode.OK, byId);

        (await api.Server.UpdateJobAsync(consumer, "success")).Dispose();
        var (finished, _, _) = await WithJobTokenAsync(api, byRef, consumer.Token);
        Assert.Equal(HttpStatusCode.Unauthorized, finished);
    }

    private static async Task<string> ReadEntryAsync(ApiFixture api, string path)
    {
        var (status, _, response) = await api.GetAsync(path);
        Assert.True(status == HttpStatusCode.OK, $"{path}: {status} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task AssertNotFoundAsync(ApiFixture api, string path, string message)
    {
        foreach (var method in new[] { HttpMethod.Get, HttpMethod.Head })
        {
            var (status, body, response) = await api.SendAsync(method, path);
            Assert.True(status == HttpStatusCode.NotFound, $"{method} {path}: {status}");
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            if (method == HttpMethod.Get)
            {
                Assert.Equal(message, body.GetProperty("message").GetString());
            }
        }
    }

    private static async Task<(HttpStatusCode Status, JsonElement Json, HttpResponseMessage Response)> WithJobTokenAsync(ApiFixture api, string path, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v4/" + path);
        if (token is not null)
        {
            request.Headers.Add("JOB-TOKEN", token);
        }

        var response = await api.Server.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var json = response.Content.Headers.ContentType?.MediaType == "application/json" && text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default;
        return (response.StatusCode, json, response);
    }
}

using System.Net;
using System.Text;
using System.Text.Json;
using Relais.Server.Security;
using Relais.Server.Tests.Git;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Security;

/// <summary>Each kind of hostile request, one by one: a clear 4xx with GitLab's <c>{"message": …}</c>, and nothing stored.</summary>
public sealed class HostileInputTests
{
    private const string OneJob = "job: { script: [run] }";

    [Fact]
    public async Task Oversized_and_malformed_bodies_get_413_and_400_with_a_message()
    {
        await using var f = await SecurityFixture.StartAsync(o => o with { Limits = new RequestLimits { ApiBody = 64 * 1024 } });
        var (_, runner) = await f.Server.RegisterRunnerAsync();
        var huge = "{\"name\":\"" + new string('x', 200_000) + "\"}";

        await AssertRefusedAsync(f, HttpMethod.Post, "api/v4/projects", huge, HttpStatusCode.RequestEntityTooLarge, TestServer.RootToken);
        await AssertRefusedAsync(f, HttpMethod.Post, "api/v4/jobs/request", "{\"token\":\"" + runner + "\",\"info\":" + huge + "}", HttpStatusCode.RequestEntityTooLarge);
        await AssertRefusedAsync(f, HttpMethod.Post, "api/v4/jobs/request", "{\"token\": ", HttpStatusCode.BadRequest);
        await AssertRefusedAsync(f, HttpMethod.Post, "api/v4/jobs/request", "[1,2", HttpStatusCode.BadRequest);
        await AssertRefusedAsync(f, HttpMethod.Put, "api/v4/jobs/1", "{\"state\": [}", HttpStatusCode.BadRequest);
        await AssertRefusedAsync(f, HttpMethod.Post, "api/v4/projects", "{\"name\": {\"nested\": ", HttpStatusCode.BadRequest, TestServer.RootToken);
        using (var form = new StringContent("--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\nnot closed", Encoding.UTF8))
        {
            form.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/form-data; boundary=x");
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/v4/projects") { Content = form };
            request.Headers.Add("PRIVATE-TOKEN", TestServer.RootToken);
            using var response = await f.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }

        var (_, projects) = await f.RestAsync(HttpMethod.Get, "projects", TestServer.RootToken);
        Assert.Equal(0, projects.GetArrayLength());
    }

    [Fact]
    public async Task Wrong_Content_Range_values_and_foreign_tokens_leave_the_trace_as_it_was()
    {
        await using var f = await SecurityFixture.StartAsync();
        var (_, runner) = await f.Server.RegisterRunnerAsync();
        await f.RunPipelineAsync(await f.ProjectAsync("demo", OneJob));
        await f.RunPipelineAsync(await f.ProjectAsync("other", OneJob));
        var job = (await f.TakeJobAsync(runner))!;
        var other = (await f.TakeJobAsync(runner))!;
        Assert.Equal(HttpStatusCode.Accepted, (await f.Server.PatchTraceAsync(job, 0, "line one\n")).StatusCode);

        foreach (var (range, expected) in new[]
        {
            ("", HttpStatusCode.BadRequest), ("abc", HttpStatusCode.BadRequest), ("-5", HttpStatusCode.BadRequest), ("5", HttpStatusCode.BadRequest),
            ("99999999999999999999999-1", HttpStatusCode.BadRequest), ("0-3", HttpStatusCode.RequestedRangeNotSatisfiable),
            ("4-10", HttpStatusCode.RequestedRangeNotSatisfiable), ("1000-2000", HttpStatusCode.RequestedRangeNotSatisfiable),
            ("bytes 9-20/*", HttpStatusCode.BadRequest),
        })
        {
            using var request = new HttpRequestMessage(HttpMethod.Patch, $"api/v4/jobs/{job.Id}/trace") { Content = new StringContent("INJECTED") };
            request.Headers.Add("JOB-TOKEN", job.Token);
            if (range.Length > 0)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Range", range);
            }

            using var response = await f.Http.SendAsync(request);
            Assert.True(expected == response.StatusCode, $"Content-Range '{range}': {response.StatusCode}");
        }

        foreach (var token in new[] { other.Token, "glcbt-unknown", runner, TestServer.RootToken, "" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Patch, $"api/v4/jobs/{job.Id}/trace") { Content = new StringContent("INJECTED") };
            request.Headers.TryAddWithoutValidation("JOB-TOKEN", token);
            request.Content.Headers.TryAddWithoutValidation("Content-Range", "9-16");
            using var response = await f.Http.SendAsync(request);
            Assert.True(response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized, $"{token}: {response.StatusCode}");
            Assert.Contains("message", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal("line one\n", Encoding.UTF8.GetString(await f.Server.Host.Traces.ReadAsync(job.Id, default)));
    }

    [Fact]
    public async Task Artifact_names_cannot_leave_the_jobs_folder_and_oversized_uploads_are_refused()
    {
        await using var f = await SecurityFixture.StartAsync(o => o with { Limits = new RequestLimits { Artifact = 256 * 1024 } });
        var (_, runner) = await f.Server.RegisterRunnerAsync();
        await f.RunPipelineAsync(await f.ProjectAsync("demo", OneJob));
        var job = (await f.TakeJobAsync(runner))!;
        var zip = Archives.Zip(("a.txt", "a"));
        var artifacts = Path.Combine(f.Server.DataDir, "artifacts");

        foreach (var type in new[] { "..", "../../../tmp", "archive/../../x", "ARCHIVE", ".", "a b" })
        {
            using var response = await f.UploadAsync(job.Id, job.Token, zip, type: type);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"type '{type}': {response.StatusCode}");
        }

        using (var badFormat = await f.UploadAsync(job.Id, job.Token, zip, format: "../zip"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, badFormat.StatusCode);
        }

        using (var control = await f.UploadAsync(job.Id, job.Token, zip, name: "bad\u0001name.zip"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, control.StatusCode);
        }

        using (var tooBig = await f.UploadAsync(job.Id, job.Token, new byte[1024 * 1024]))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooBig.StatusCode);
            Assert.Contains("413", JsonDocument.Parse(await tooBig.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        Assert.Null(await f.Server.Host.Stores.Artifacts.FindArtifactAsync(job.Id, "archive"));
        Assert.False(Directory.Exists(artifacts) && Directory.EnumerateFiles(artifacts, "*", SearchOption.AllDirectories).Any());

        // A name with folders in it (artifacts:name: $CI_COMMIT_REF_NAME) is cut to its last segment, inside the job's folder.
        using (var traversal = await f.UploadAsync(job.Id, job.Token, zip, name: "../../../../etc/evil.zip"))
        {
            Assert.Equal(HttpStatusCode.Created, traversal.StatusCode);
        }

        var stored = Assert.Single(Directory.EnumerateFiles(artifacts, "*", SearchOption.AllDirectories));
        Assert.Equal(Path.Combine(artifacts, job.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "archive", "evil.zip"), stored);
    }

    [Fact]
    public async Task A_push_over_the_size_limit_is_refused_and_changes_no_ref()
    {
        await using var f = await SecurityFixture.StartAsync(o => o with { Limits = new RequestLimits { Push = 200 * 1024 } });
        using var git = GitClient.Init();
        git.Write(".gitlab-ci.yml", OneJob);
        git.Commit("small");
        var remote = $"http://root:{TestServer.RootToken}@127.0.0.1:{f.Server.Port}/root/demo.git";
        git.Ok("push", "--quiet", remote, "main");
        var before = git.Ok("ls-remote", remote, "refs/heads/main").Trim();

        // Random bytes do not compress: the pack is about 2 MiB, ten times the limit (sent chunked, past http.postBuffer).
        File.WriteAllBytes(Path.Combine(git.Dir, "blob.bin"), System.Security.Cryptography.RandomNumberGenerator.GetBytes(2 * 1024 * 1024));
        git.Commit("large");
        var (code, _, stderr) = git.Run("push", remote, "main");
        Assert.NotEqual(0, code);
        Assert.Equal(before, git.Ok("ls-remote", remote, "refs/heads/main").Trim());
        Assert.Single((await f.Server.Host.Stores.Pipelines.ListPipelinesAsync(1, new Storage.ListQuery([], 0, 10))).Items);

        // With its length announced, the refusal is a 413 before git sees a byte.
        using var request = new HttpRequestMessage(HttpMethod.Post, "root/demo.git/git-receive-pack") { Content = new ByteArrayContent(new byte[300 * 1024]) };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("root:" + TestServer.RootToken)));
        using var response = await f.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("413", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        _ = stderr;
    }

    private static async Task AssertRefusedAsync(SecurityFixture f, HttpMethod method, string path, string body, HttpStatusCode expected, string? token = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = TestServer.Json(body) };
        if (token is not null)
        {
            request.Headers.Add("PRIVATE-TOKEN", token);
        }

        using var response = await f.Http.SendAsync(request);
        Assert.True(expected == response.StatusCode, $"{method} {path}: {response.StatusCode}");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(JsonValueKind.String, json.RootElement.GetProperty("message").ValueKind);
    }
}

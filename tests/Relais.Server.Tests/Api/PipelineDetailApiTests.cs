using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using Relais.Pipelines.Context;
using Relais.Protocol.Jobs;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Api;

/// <summary>
/// One pipeline through the API (issue #14): its full shape (<c>name</c>, <c>detailed_status</c>, the user who caused
/// it rather than the caller), <c>pipelines/latest</c>, <c>/variables</c>, <c>DELETE</c> (jobs, logs and artifact files
/// gone), and <c>test_report</c> / <c>test_report_summary</c> from the jobs' JUnit reports.
/// </summary>
public sealed class PipelineDetailApiTests
{
    private const string Yaml = "workflow: {name: Nightly build}\nbuild: {script: [x]}";

    [Fact]
    public async Task A_pipeline_shows_its_name_detailed_status_and_the_user_who_caused_it()
    {
        await using var api = await ApiFixture.StartAsync();
        var project = await api.Server.Host.Stores.Projects.EnsureProjectAsync("root/demo", "main", DateTimeOffset.UtcNow);
        var (_, alice) = await PipelineListFilterTests.UsersAsync(api);
        var id = await PipelineListFilterTests.RunAsync(api, project, Yaml, "main", PipelineSource.Web, alice);
        var broken = await PipelineListFilterTests.RunAsync(api, project, "build: {script: 42}", "main", PipelineSource.Push, alice);

        var (status, pipeline, _) = await api.GetAsync($"projects/{project.Id}/pipelines/{id}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Nightly build", pipeline.GetProperty("name").GetString());
        Assert.Equal("web", pipeline.GetProperty("source").GetString());
        Assert.Equal("alice", pipeline.GetProperty("user").GetProperty("username").GetString());
        Assert.Equal(JsonValueKind.Null, pipeline.GetProperty("yaml_errors").ValueKind);
        var detailed = pipeline.GetProperty("detailed_status");
        Assert.Equal("status_pending", detailed.GetProperty("icon").GetString());
        Assert.Equal("pending", detailed.GetProperty("group").GetString());
        Assert.Equal($"/root/demo/-/pipelines/{id}", detailed.GetProperty("details_path").GetString());
        Assert.Equal("/assets/ci_favicons/favicon_status_pending.png", detailed.GetProperty("favicon").GetString());
        var failed = (await api.GetAsync($"projects/{project.Id}/pipelines/{broken}")).Json;
        Assert.Equal("failed", failed.GetProperty("detailed_status").GetProperty("group").GetString());
        Assert.False(string.IsNullOrEmpty(failed.GetProperty("yaml_errors").GetString()));
        Assert.DoesNotContain("{", failed.GetProperty("yaml_errors").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Latest_is_the_newest_pipeline_of_the_default_branch_or_the_ref_and_403_without_one()
    {
        await using var api = await ApiFixture.StartAsync();
        var project = await api.ProjectWithConfigAsync("demo", Yaml);
        var first = await api.RunPipelineAsync(project);
        var feature = await api.RunPipelineAsync(project, "feature");
        var newest = await api.RunPipelineAsync(project);

        Assert.Equal(newest, (await api.GetAsync($"projects/{project}/pipelines/latest")).Json.GetProperty("id").GetInt64());
        var (_, onFeature, _) = await api.GetAsync($"projects/{project}/pipelines/latest?ref=feature");
        Assert.Equal(feature, onFeature.GetProperty("id").GetInt64());
        Assert.Equal("status_pending", onFeature.GetProperty("detailed_status").GetProperty("icon").GetString());
        Assert.NotEqual(first, newest);
        var (status, body, _) = await api.GetAsync($"projects/{project}/pipelines/latest?ref=nowhere");
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("403 Forbidden", body.GetProperty("message").GetString());
    }

    [PythonGitLabFact]
    public async Task Python_gitlab_reads_latest_and_the_variables_a_pipeline_was_created_with()
    {
        await using var api = await ApiFixture.StartAsync();
        var project = await api.ProjectWithConfigAsync("demo", Yaml);
        await api.PostAsync($"projects/{project}/variables", """{"key": "PROJECT_ONLY", "value": "not a pipeline variable"}""");

        var seen = await PythonGitLab.RunAsync(api.Server.Host.ExternalUrl, TestServer.RootToken, """
            p = gl.projects.get("root/demo")
            made = p.pipelines.create({"ref": "main", "variables": [{"key": "GREETING", "value": "hello"}, {"key": "CONFIG", "value": "a=1", "variable_type": "file"}]})
            plain = p.pipelines.create({"ref": "main"})
            latest = p.pipelines.get("latest")
            variables = sorted([[v.key, v.value, v.variable_type] for v in made.variables.list()])
            print(json.dumps({"latest": latest.id, "plain": plain.id, "variables": variables, "none": len(plain.variables.list())}, separators=(",", ":")))
            """);

        Assert.Equal(seen.GetProperty("plain").GetInt64(), seen.GetProperty("latest").GetInt64());
        Assert.Equal("""[["CONFIG","a=1","file"],["GREETING","hello","env_var"]]""", seen.GetProperty("variables").GetRawText());
        Assert.Equal(0, seen.GetProperty("none").GetInt32());
    }

    [PythonGitLabFact]
    public async Task Deleting_a_pipeline_removes_it_its_jobs_logs_and_artifacts_and_needs_an_owner()
    {
        await using var api = await ApiFixture.StartAsync();
        var project = await api.ProjectWithConfigAsync("demo", "build: {script: [x]}\nlater: {stage: test, script: [x]}");
        await api.PostAsync($"projects/{project}/members", """{"user_id": 2, "access_level": 30}""");
        var (_, runner) = await api.Server.RegisterRunnerAsync();
        var pipeline = await api.RunPipelineAsync(project);
        var job = (await api.Server.RequestJobAsync(runner))!;
        (await api.Server.PatchTraceAsync(job, 0, "hello\n")).Dispose();
        (await UploadAsync(api.Server, job, Gzip("<testsuite><testcase name='a'/></testsuite>"), "junit", "gzip", "junit.xml.gz")).Dispose();
        Assert.NotNull(api.Server.Host.Traces.FileOf(job.Id));
        var blob = (await api.Server.Host.Stores.Artifacts.FindArtifactAsync(job.Id, "junit"))!.BlobPath;
        Assert.True(File.Exists(api.Server.Host.Blobs.FullPath(blob)));

        var (denied, _, _) = await api.SendAsync(HttpMethod.Delete, $"projects/{project}/pipelines/{pipeline}", ApiFixture.AliceToken);
        Assert.Equal(HttpStatusCode.Forbidden, denied);

        await PythonGitLab.RunAsync(api.Server.Host.ExternalUrl, TestServer.RootToken, $$"""
            p = gl.projects.get("root/demo")
            p.pipelines.get({{pipeline}}).delete()
            print("null")
            """);

        var (gone, body, _) = await api.GetAsync($"projects/{project}/pipelines/{pipeline}");
        Assert.Equal(HttpStatusCode.NotFound, gone);
        Assert.Equal("404 Pipeline Not Found", body.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await api.SendAsync(HttpMethod.Delete, $"projects/{project}/pipelines/{pipeline}")).Status);
        Assert.Null(api.Server.Host.Traces.FileOf(job.Id));
        Assert.False(File.Exists(api.Server.Host.Blobs.FullPath(blob)));
        Assert.Empty(await api.Server.Host.Stores.Pipelines.JobsOfPipelineAsync(pipeline));
        Assert.Null(await api.Server.RequestJobAsync(runner)); // the canceled job's stage-mate is never handed out
        Assert.Equal(0, (await api.GetAsync($"projects/{project}/pipelines")).Json.GetArrayLength());
    }

    [PythonGitLabFact]
    public async Task The_test_report_counts_every_junit_report_of_the_pipeline()
    {
        await using var api = await ApiFixture.StartAsync();
        var project = await api.ProjectWithConfigAsync("demo", "unit: {script: [x]}\nbroken: {script: [x]}");
        var (_, runner) = await api.Server.RegisterRunnerAsync();
        var pipeline = await api.RunPipelineAsync(project);
        var jobs = new[] { (await api.Server.RequestJobAsync(runner))!, (await api.Server.RequestJobAsync(runner))! };
        var unit = jobs.Single(j => j.JobInfo.Name == "unit");
        var broken = jobs.Single(j => j.JobInfo.Name == "broken");
        // Two files, as the runner gzips them: one gzip member each, each a document with its declaration.
        var report = Gzip("""
            <?xml version="1.0" encoding="UTF-8"?>
            <testsuites><testsuite name="math">
              <testcase classname="math" name="adds" time="0.25"/>
              <testcase classname="math" name="divides" time="1.5"><failure message="expected 2">expected 2, got 3</failure></testcase>
            </testsuite></testsuites>
            """).Concat(Gzip("""
            <?xml version="1.0"?>
            <testsuite name="io"><testcase classname="io" name="reads" time="0.25"><skipped/></testcase>
            <testcase classname="io" name="writes"><error message="disk full"/></testcase></testsuite>
            """)).ToArray();
        (await UploadAsync(api.Server, unit, report, "junit", "gzip", "junit.xml.gz")).Dispose();
        (await UploadAsync(api.Server, broken, Gzip("<testsuite><testcase"), "junit", "gzip", "junit.xml.gz")).Dispose();

        var seen = await PythonGitLab.RunAsync(api.Server.Host.ExternalUrl, TestServer.RootToken, $$"""
            pipeline = gl.projects.get("root/demo").pipelines.get({{pipeline}})
            print(json.dumps({"report": pipeline.test_report.get().attributes, "summary": pipeline.test_report_summary.get().attributes}))
            """);

        var full = seen.GetProperty("report");
        Assert.Equal(4, full.GetProperty("total_count").GetInt32());
        Assert.Equal((1, 1, 1, 1), (full.GetProperty("success_count").GetInt32(), full.GetProperty("failed_count").GetInt32(), full.GetProperty("skipped_count").GetInt32(), full.GetProperty("error_count").GetInt32()));
        Assert.Equal(2.0, full.GetProperty("total_time").GetDouble());
        var suite = full.GetProperty("test_suites").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "unit");
        var first = suite.GetProperty("test_cases")[0];
        Assert.Equal(("failed", "divides", "math", 1.5, "expected 2, got 3"), (first.GetProperty("status").GetString(), first.GetProperty("name").GetString(), first.GetProperty("classname").GetString(), first.GetProperty("execution_time").GetDouble(), first.GetProperty("system_output").GetString()));
        Assert.Equal("disk full", suite.GetProperty("test_cases").EnumerateArray().Single(c => c.GetProperty("status").GetString() == "error").GetProperty("system_output").GetString());
        var bad = full.GetProperty("test_suites").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "broken");
        Assert.StartsWith("JUnit XML parsing failed", bad.GetProperty("suite_error").GetString(), StringComparison.Ordinal);

        var summary = seen.GetProperty("summary");
        Assert.Equal(4, summary.GetProperty("total").GetProperty("count").GetInt32());
        Assert.Equal(1, summary.GetProperty("total").GetProperty("failed").GetInt32());
        var unitSummary = summary.GetProperty("test_suites").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "unit");
        Assert.Equal(unit.Id, unitSummary.GetProperty("build_ids")[0].GetInt64());
    }

    [Fact]
    public async Task Every_route_answers_404_for_a_pipeline_of_another_project_or_none()
    {
        await using var api = await ApiFixture.StartAsync();
        var project = await api.ProjectWithConfigAsync("demo", Yaml);
        var other = await api.ProjectWithConfigAsync("other", Yaml);
        var theirs = await api.RunPipelineAsync(other);

        foreach (var suffix in new[] { "", "/variables", "/test_report", "/test_report_summary" })
        {
            foreach (var id in new[] { theirs, 999_999 })
            {
                var (status, body, _) = await api.GetAsync($"projects/{project}/pipelines/{id}{suffix}");
                Assert.Equal(HttpStatusCode.NotFound, status);
                Assert.Equal("404 Pipeline Not Found", body.GetProperty("message").GetString());
            }
        }

        Assert.Equal(HttpStatusCode.NotFound, (await api.SendAsync(HttpMethod.Delete, $"projects/{project}/pipelines/{theirs}")).Status);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"projects/{other}/pipelines/{theirs}")).Status);
    }

    private static byte[] Gzip(string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return buffer.ToArray();
    }

    private static async Task<HttpResponseMessage> UploadAsync(TestServer server, JobResponse job, byte[] bytes, string type, string format, string name)
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(bytes), "file", name } };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/v4/jobs/{job.Id}/artifacts?artifact_type={type}&artifact_format={format}&expire_in=1+week") { Content = form };
        request.Headers.Add("JOB-TOKEN", job.Token);
        var response = await server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return response;
    }
}

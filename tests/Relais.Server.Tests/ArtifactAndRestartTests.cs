using System.Net;
using Relais.Protocol.Jobs;
using Relais.Protocol;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests;

public sealed class ArtifactAndRestartTests
{
    private const string BuildThenTest = """
        stages: [build, test]
        build:
          stage: build
          script: [make]
          artifacts:
            paths: [out/]
            reports:
              dotenv: build.env
        test:
          stage: test
          script: [test]
        """;

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task Artifacts_and_dotenv_of_one_job_reach_the_next_one(string store)
    {
        await using var server = await TestServer.StartAsync(store, longPoll: TimeSpan.FromMilliseconds(200));
        var (_, runner) = await server.RegisterRunnerAsync();
        await server.CreatePipelineAsync(BuildThenTest);
        var build = (await server.RequestJobAsync(runner))!;
        var zip = Archives.Zip(("out/app.txt", "built"));

        using (var upload = await UploadAsync(server, build, zip, "archive", "zip", "artifacts.zip"))
        {
            Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        }

        using (var dotenv = await UploadAsync(server, build, Archives.Gzip("VERSION=1.2.3\n"), "dotenv", "gzip", ".env.gz"))
        {
            Assert.Equal(HttpStatusCode.Created, dotenv.StatusCode);
        }

        (await server.UpdateJobAsync(build, "success")).Dispose();
        var test = (await server.RequestJobAsync(runner))!;
        var dependency = Assert.Single(test.Dependencies);
        Assert.Equal(build.Id, dependency.Id);
        Assert.Equal("artifacts.zip", dependency.ArtifactsFile?.Filename);
        Assert.Equal(zip.Length, dependency.ArtifactsFile?.Size);
        Assert.Contains(test.Variables, v => v.Key == "VERSION" && v.Value == "1.2.3");

        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/v4/jobs/{build.Id}/artifacts?direct_download=true");
        request.Headers.Add("JOB-TOKEN", dependency.Token);
        using var download = await server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(zip, await download.Content.ReadAsByteArrayAsync());

        (await server.UpdateJobAsync(test, "success")).Dispose();
        using var late = new HttpRequestMessage(HttpMethod.Get, $"api/v4/jobs/{build.Id}/artifacts");
        late.Headers.Add("JOB-TOKEN", test.Token);
        Assert.Equal(HttpStatusCode.Forbidden, (await server.Http.SendAsync(late)).StatusCode);
    }

    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task The_server_restarts_on_the_same_data_dir_and_database_and_keeps_runners_pipelines_jobs_and_traces(string store)
    {
        string dir;
        int port;
        string? database;
        string runner;
        JobResponse build;
        await using (var first = await TestServer.StartAsync(store, longPoll: TimeSpan.FromMilliseconds(200)))
        {
            (dir, port, database) = (first.DataDir, first.Port, first.Database);
            first.KeepData = true;
            runner = (await first.RegisterRunnerAsync()).Token;
            await first.CreatePipelineAsync(BuildThenTest);
            build = (await first.RequestJobAsync(runner))!;
            (await first.PatchTraceAsync(build, 0, "before restart\n")).Dispose();
        }

        await using var second = await TestServer.StartAsync(store, dir, port, TimeSpan.FromMilliseconds(200), database);
        using (var more = await second.PatchTraceAsync(build, 15, "after\n"))
        {
            Assert.Equal(HttpStatusCode.Accepted, more.StatusCode);
            Assert.Equal("0-21", more.Headers.GetValues("Range").Single());
        }

        using (var done = await second.UpdateJobAsync(build, "success"))
        {
            Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        }

        var test = await second.RequestJobAsync(runner);
        Assert.Equal("test", test?.JobInfo.Name);
        (await second.UpdateJobAsync(test!, "success")).Dispose();
        Assert.Equal(CiStatus.Success, (await second.Host.Stores.Pipelines.GetPipelineAsync(build.JobInfo.PipelineId!.Value))?.Status);
    }

    private static async Task<HttpResponseMessage> UploadAsync(TestServer server, JobResponse job, byte[] bytes, string type, string format, string name)
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(bytes), "file", name } };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/v4/jobs/{job.Id}/artifacts?artifact_type={type}&artifact_format={format}&expire_in=1+week") { Content = form };
        request.Headers.Add("JOB-TOKEN", job.Token);
        return await server.Http.SendAsync(request);
    }
}

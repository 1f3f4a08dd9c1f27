using System.Net;
using System.Text;
using System.Text.Json;
using Relais.Protocol;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Security;

/// <summary>
/// The blob store on a real, full filesystem (a small tmpfs on <c>DATA/artifacts</c> and another on <c>DATA/traces</c>):
/// uploads and trace patches that do not fit get 507 with a message, their job fails with
/// <c>data_integrity_failure</c>, nothing half-written stays behind, and everything else goes on working.
/// </summary>
public sealed class DiskFullTests
{
    private const string TwoJobs = """
        one: { script: [make] }
        two: { script: [make] }
        """;

    [MountFact]
    public async Task A_full_blob_store_fails_the_upload_with_507_and_the_job_with_a_reason_and_breaks_nothing_else()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "relais-server-tests", Guid.NewGuid().ToString("N"));
        var (artifacts, why) = SmallFilesystem.TryMount(Path.Combine(dataDir, "artifacts"), 256);
        Assert.True(artifacts is not null, why);
        using var artifactsMount = artifacts;
        var (traces, why2) = SmallFilesystem.TryMount(Path.Combine(dataDir, "traces"), 256);
        Assert.True(traces is not null, why2);
        using var tracesMount = traces;
        await using var f = await SecurityFixture.StartAsync(o => o with { DataDir = dataDir });
        var (_, runner) = await f.Server.RegisterRunnerAsync();
        var project = await f.ProjectAsync("demo", TwoJobs);
        await f.RunPipelineAsync(project);
        var one = (await f.TakeJobAsync(runner))!;
        var two = (await f.TakeJobAsync(runner))!;

        // An artifact larger than the filesystem: 507, the job fails with a reason, no partial file, no row.
        using (var upload = await f.UploadAsync(one.Id, one.Token, new byte[1024 * 1024]))
        {
            Assert.Equal(HttpStatusCode.InsufficientStorage, upload.StatusCode);
            Assert.Contains("507", JsonDocument.Parse(await upload.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.Equal("failed", upload.Headers.GetValues("Job-Status").Single());
        }

        var failed = (await f.Server.Host.Stores.Pipelines.GetJobAsync(one.Id))!;
        Assert.Equal(CiStatus.Failed, failed.Status);
        Assert.Equal("data_integrity_failure", failed.FailureReason);
        Assert.Null(await f.Server.Host.Stores.Artifacts.FindArtifactAsync(one.Id, "archive"));
        Assert.Empty(Directory.EnumerateFiles(artifacts!.Path, "*", SearchOption.AllDirectories));

        // A trace patch that does not fit: 507, the log stays as it was (whole patches only), the job fails.
        Assert.Equal(HttpStatusCode.Accepted, (await f.Server.PatchTraceAsync(two, 0, "first line\n")).StatusCode);
        using (var patch = await f.Server.PatchTraceAsync(two, 11, new string('x', 512 * 1024)))
        {
            Assert.Equal(HttpStatusCode.InsufficientStorage, patch.StatusCode);
        }

        Assert.Equal("first line\n", Encoding.UTF8.GetString(await f.Server.Host.Traces.ReadAsync(two.Id, default)));
        var twoAfter = (await f.Server.Host.Stores.Pipelines.GetJobAsync(two.Id))!;
        Assert.Equal(CiStatus.Failed, twoAfter.Status);
        Assert.Equal("data_integrity_failure", twoAfter.FailureReason);

        // Everything else goes on: the API answers, a new pipeline runs, small traces and artifacts fit again.
        Assert.Equal(HttpStatusCode.OK, (await f.RestAsync(HttpMethod.Get, $"projects/{project}/jobs/{one.Id}", TestServer.RootToken)).Status);
        await f.RunPipelineAsync(project);
        var next = (await f.TakeJobAsync(runner))!;
        Assert.Equal(HttpStatusCode.Accepted, (await f.Server.PatchTraceAsync(next, 0, "fine\n")).StatusCode);
        using (var small = await f.UploadAsync(next.Id, next.Token, Archives.Zip(("a.txt", "small"))))
        {
            Assert.Equal(HttpStatusCode.Created, small.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await f.Server.UpdateJobAsync(next, "success")).StatusCode);
        Assert.Equal(CiStatus.Success, (await f.Server.Host.Stores.Pipelines.GetJobAsync(next.Id))!.Status);
    }
}

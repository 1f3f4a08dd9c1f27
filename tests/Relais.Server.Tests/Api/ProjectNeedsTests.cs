using System.Net;
using Relais.Protocol.Jobs;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Api;

/// <summary>
/// <c>needs:project</c> (issue #14): a job fetches the artifacts of another project's latest successful job on a ref,
/// when its pipeline's user may read that project and the project's CI/CD job token allowlist lets the job's project in.
/// </summary>
public sealed class ProjectNeedsTests
{
    [Theory]
    [MemberData(nameof(Stores.All), MemberType = typeof(Stores))]
    public async Task A_job_gets_another_projects_latest_artifacts_once_that_project_allowlists_it(string store)
    {
        await using var api = await ApiFixture.StartAsync(store);
        var (_, runner) = await api.Server.RegisterRunnerAsync();
        var lib = await api.ProjectWithConfigAsync("lib", "build: {script: [make], artifacts: {paths: [lib.a]}}");
        var app = await api.ProjectWithConfigAsync("app", """
            link:
              variables: {LIB_REF: main}
              script: [ls lib.a]
              needs: [{project: root/lib, job: build, ref: $LIB_REF, artifacts: true}]
            """);
        await api.RunPipelineAsync(lib);
        var build = await JobSteps.RunAsync(api.Server, runner, "success", ("lib.a", "archive bytes"));

        // Not on lib's allowlist: nothing to fetch, and the token cannot read the job's artifacts either.
        await api.RunPipelineAsync(app);
        var refused = (await api.Server.RequestJobAsync(runner))!;
        Assert.Empty(refused.Dependencies);
        Assert.Equal(HttpStatusCode.Forbidden, await DownloadAsync(api.Server, build.Id, refused.Token));
        (await api.Server.UpdateJobAsync(refused, "failed", 1)).Dispose();

        var (allowed, _, _) = await api.PostAsync($"projects/{lib}/job_token_scope/allowlist", $$"""{"target_project_id": {{app}}}""");
        Assert.Equal(HttpStatusCode.Created, allowed);
        await api.RunPipelineAsync(app);
        var link = (await api.Server.RequestJobAsync(runner))!;

        var dependency = Assert.Single(link.Dependencies);
        Assert.Equal((build.Id, "build"), (dependency.Id, dependency.Name));
        Assert.NotNull(dependency.ArtifactsFile);
        Assert.Equal(HttpStatusCode.OK, await DownloadAsync(api.Server, build.Id, link.Token));
    }

    private static async Task<HttpStatusCode> DownloadAsync(TestServer server, long jobId, string token)
    {
        using var download = new HttpRequestMessage(HttpMethod.Get, $"api/v4/jobs/{jobId}/artifacts");
        download.Headers.Add("JOB-TOKEN", token);
        using var response = await server.Http.SendAsync(download);
        return response.StatusCode;
    }
}

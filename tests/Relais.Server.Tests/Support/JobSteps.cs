using System.Net;
using Relais.Protocol.Jobs;

namespace Relais.Server.Tests.Support;

/// <summary>What a runner does with a job it took, for the jobs and artifacts API tests: upload an archive as the runner does, and finish.</summary>
internal static class JobSteps
{
    /// <summary><c>POST /jobs/:id/artifacts</c> with the job's token, as gitlab-runner uploads its archive.</summary>
    public static async Task UploadArchiveAsync(TestServer server, JobResponse job, byte[] zip, string? expireIn = null, string type = "archive", string format = "zip", string name = "artifacts.zip")
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(zip), "file", name } };
        var query = $"artifact_type={type}&artifact_format={format}" + (expireIn is null ? "" : "&expire_in=" + Uri.EscapeDataString(expireIn));
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/v4/jobs/{job.Id}/artifacts?{query}") { Content = form };
        request.Headers.Add("JOB-TOKEN", job.Token);
        using var response = await server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    /// <summary>Takes the next job, uploads <paramref name="files"/> as its archive (when any) and finishes it in <paramref name="state"/>.</summary>
    public static async Task<JobResponse> RunAsync(TestServer server, string runner, string state = "success", params (string Name, string Content)[] files)
    {
        var job = await server.RequestJobAsync(runner) ?? throw new InvalidOperationException("no job was waiting");
        if (files.Length > 0)
        {
            await UploadArchiveAsync(server, job, Archives.Zip(files));
        }

        (await server.UpdateJobAsync(job, state, state == "failed" ? 1 : null)).Dispose();
        return job;
    }
}

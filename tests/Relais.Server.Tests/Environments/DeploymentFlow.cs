using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Relais.Pipelines.Context;
using Relais.Pipelines.Sources;
using Relais.Server.Pipelines;
using Relais.Server.Storage;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Environments;

/// <summary>What the deployment tests do to a <see cref="TestServer"/>: pipelines on a given ref and commit, job actions as root, and waiting for the background to catch up.</summary>
internal static class DeploymentFlow
{
    public static async Task<long> PipelineAsync(TestServer server, string yaml, string gitRef = "main", char sha = 'a')
    {
        var project = await server.Host.Stores.Projects.EnsureProjectAsync("root/demo", "main", DateTimeOffset.UtcNow);
        var created = await server.Host.Pipelines.CreateAsync(project, new PipelineInput(InMemoryConfigSource.Single(yaml), new PipelineContext { Ref = gitRef, Sha = new string(sha, 40) }));
        Assert.Empty(created.Diagnostics);
        return created.Id;
    }

    /// <summary>A job for the runner; when none comes, the failure says what the pipelines' jobs were.</summary>
    public static async Task<Protocol.Jobs.JobResponse> RequestAsync(TestServer server, string runner)
    {
        if (await server.RequestJobAsync(runner) is { } job)
        {
            return job;
        }

        var pending = await server.Host.Stores.Pipelines.PendingJobsAsync(10);
        var again = await server.RequestJobAsync(runner);
        Assert.Fail($"no job; pending: {string.Join(", ", pending.Select(j => $"{j.Id} {j.Name} {j.Status}"))}; asked again: {again?.Id}");
        return null!;
    }

    public static async Task<JobRecord> JobAsync(TestServer server, long pipelineId, string name) =>
        (await server.Host.Stores.Pipelines.CurrentJobsAsync(pipelineId)).Single(j => j.Name == name);

    /// <summary><c>POST /projects/:id/jobs/:job_id/ACTION</c> as root; the answer's status and body.</summary>
    public static async Task<(HttpStatusCode Status, JsonElement Body)> JobActionAsync(TestServer server, long jobId, string action) =>
        await CallAsync(server, HttpMethod.Post, $"projects/root%2Fdemo/jobs/{jobId}/{action}");

    public static async Task<(HttpStatusCode Status, JsonElement Body)> CallAsync(TestServer server, HttpMethod method, string path, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, "api/v4/" + path) { Content = content };
        request.Headers.Add("PRIVATE-TOKEN", TestServer.RootToken);
        using var response = await server.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>The deployment of a job once it is in <paramref name="status"/> (the background makes and moves it; 15 s at most).</summary>
    public static async Task<DeploymentRecord> DeploymentAsync(TestServer server, long jobId, string status)
    {
        DeploymentRecord? found = null;
        await UntilAsync(async () => (found = await server.Host.Stores.Deployments.FindByJobAsync(jobId))?.Status == status, $"job {jobId}'s deployment to be {status} (it is {found?.Status ?? "missing"})");
        return found!;
    }

    /// <summary>
    /// The deployment a pipeline made for a deploy job (in the background), moved to success: for tests that need an
    /// environment deployed by a given job without running it.
    /// </summary>
    public static async Task<DeploymentRecord> SucceededAsync(TestServer server, long jobId)
    {
        DeploymentRecord? made = null;
        await UntilAsync(async () => (made = await server.Host.Stores.Deployments.FindByJobAsync(jobId)) is not null, $"job {jobId}'s deployment");
        Assert.True(await server.Host.Stores.Deployments.UpdateStatusAsync(made!.Id, DeploymentStatuses.Success, DateTimeOffset.UtcNow));
        return (await server.Host.Stores.Deployments.GetAsync(made.Id))!;
    }

    public static async Task<EnvironmentRecord> EnvironmentAsync(TestServer server, string name, Func<EnvironmentRecord, bool>? match = null)
    {
        var project = await server.Host.Stores.Projects.FindProjectAsync("root/demo");
        EnvironmentRecord? found = null;
        await UntilAsync(async () => (found = await server.Host.Stores.Environments.FindAsync(project!.Id, name)) is { } e && (match is null || match(e)), $"environment {name} ({found})");
        return found!;
    }

    public static async Task UntilAsync(Func<Task<bool>> done, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!await done())
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), "waited in vain for " + what); // generous: a loaded 2-core machine in CI
            await Task.Delay(50);
        }
    }
}

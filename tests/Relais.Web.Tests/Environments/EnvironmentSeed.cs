using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Relais.Pipelines.Context;
using Relais.Server.Auth;
using Relais.Server.Storage;
using Relais.Web.Tests.Support;

namespace Relais.Web.Tests.Environments;

/// <summary>
/// Environments and deployments written through the stores (the pages' tests do not depend on the pipelines making
/// them), and jobs finished through the runner API over HTTP.
/// </summary>
internal sealed class EnvironmentSeed(WebServer server)
{
    public const string Sha = "0123456789abcdef0123456789abcdef01234567";

    private static DateTimeOffset Now => DateTimeOffset.UtcNow;

    private AggregateStores Stores => server.Host.Stores;

    public async Task<ProjectRecord> ProjectAsync() => await Stores.Projects.EnsureProjectAsync("root/demo", "main", Now);

    public async Task<long> RootIdAsync() => (await Stores.Identity.FindTokenAsync(Tokens.Hash(WebServer.RootToken), Now))!.Id;

    /// <summary>The environment <paramref name="name"/> (made if new; it may exist already when pipelines make them), with its URL and state.</summary>
    public async Task<EnvironmentRecord> EnvironmentAsync(ProjectRecord project, string name, string? url = null, string state = EnvironmentStates.Available)
    {
        var e = await Stores.Environments.EnsureAsync(project.Id, name, EnvironmentSlug.Of(name), EnvironmentTiers.Guess(name), Now);
        if (url is not null)
        {
            await Stores.Environments.UpdateAsync(e with { ExternalUrl = url }, Now);
        }

        if (state != e.State)
        {
            await Stores.Environments.SetStateAsync(e.Id, state, Now);
        }

        return (await Stores.Environments.GetAsync(e.Id))!;
    }

    /// <summary>A deployment of <paramref name="jobId"/>'s pipeline to <paramref name="environment"/> in <paramref name="status"/> (the job's own one when it has one already).</summary>
    public async Task<DeploymentRecord> DeploymentAsync(ProjectRecord project, EnvironmentRecord environment, long? jobId, long? pipelineId, string status, long? userId)
    {
        var d = jobId is { } job ? await Stores.Deployments.FindByJobAsync(job) : null;
        d ??= await Stores.Deployments.CreateAsync(new NewDeployment(project.Id, environment.Id, jobId, pipelineId, "main", false, Sha, userId, DeploymentStatuses.Created), Now);
        if (status != d.Status)
        {
            Assert.True(await Stores.Deployments.UpdateStatusAsync(d.Id, status, Now));
        }

        return (await Stores.Deployments.GetAsync(d.Id))!;
    }

    /// <summary>Takes every pending job through the runner API (one runner, registered here) and finishes it with <paramref name="state"/>; returns their ids.</summary>
    public async Task<List<long>> FinishPendingJobsAsync(string state)
    {
        var token = Tokens.New(Tokens.RunnerPrefix);
        await Stores.Runners.CreateRunnerAsync(Tokens.Hash(token), "environment pages", "", runUntagged: true, Now);
        using var http = new HttpClient { BaseAddress = new Uri(server.Url + "/") };
        var done = new List<long>();
        while (true)
        {
            using var request = await http.PostAsync("api/v4/jobs/request", JsonContent.Create(new { token, info = new { name = "environment pages" } }));
            if (request.StatusCode == HttpStatusCode.NoContent)
            {
                return done;
            }

            Assert.Equal(HttpStatusCode.Created, request.StatusCode);
            using var job = JsonDocument.Parse(await request.Content.ReadAsStringAsync());
            var id = job.RootElement.GetProperty("id").GetInt64();
            using var update = await http.PutAsync($"api/v4/jobs/{id}", JsonContent.Create(new { token = job.RootElement.GetProperty("token").GetString(), state }));
            Assert.Equal(HttpStatusCode.OK, update.StatusCode);
            done.Add(id);
        }
    }

    /// <summary>A form with the anti-forgery token and <paramref name="fields"/>.</summary>
    public static FormUrlEncodedContent Form(string token, params (string Key, string Value)[] fields)
    {
        var all = new Dictionary<string, string> { ["authenticity_token"] = token };
        foreach (var (k, v) in fields)
        {
            all[k] = v;
        }

        return new FormUrlEncodedContent(all);
    }
}

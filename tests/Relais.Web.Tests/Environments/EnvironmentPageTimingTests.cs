using Relais.Server.Storage;
using Relais.Web.Tests.Support;
using Xunit.Abstractions;

namespace Relais.Web.Tests.Environments;

/// <summary>
/// How long the environments pages take with many environments (prints the figures; asserts only that the pages
/// answer): 20 top-level environments and 5 folders of 40 review environments, each with a successful deployment of a
/// real job, and one environment with 500 deployments.
/// </summary>
public sealed class EnvironmentPageTimingTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Environments_pages_with_hundreds_of_environments_and_deployments()
    {
        await using var server = await WebServer.StartAsync();
        var seed = new EnvironmentSeed(server);
        var project = await seed.ProjectAsync();
        var rootId = await seed.RootIdAsync();
        var pipeline = await server.CreatePipelineAsync("deploy: {stage: deploy, script: [echo], environment: {name: production}}");
        var job = await server.JobIdAsync(pipeline.Id, "deploy");
        var names = Enumerable.Range(1, 20).Select(i => $"env-{i:00}").Concat(Enumerable.Range(1, 200).Select(i => $"review-{i % 5}/feature-{i:000}"));
        foreach (var name in names)
        {
            var e = await seed.EnvironmentAsync(project, name, $"https://{name.Replace('/', '-')}.example.com");
            await server.Host.Stores.Deployments.CreateAsync(new NewDeployment(project.Id, e.Id, job, pipeline.Id, "main", false, EnvironmentSeed.Sha, rootId, DeploymentStatuses.Success), DateTimeOffset.UtcNow);
        }

        var production = await seed.EnvironmentAsync(project, "production");
        for (var i = 0; i < 500; i++)
        {
            await server.Host.Stores.Deployments.CreateAsync(new NewDeployment(project.Id, production.Id, job, pipeline.Id, "main", false, EnvironmentSeed.Sha, rootId, DeploymentStatuses.Success), DateTimeOffset.UtcNow);
        }

        using var client = server.NewClient(out _);
        (await WebServer.SignInAsync(client, "root", WebServer.RootPassword)).Dispose();
        output.WriteLine("environments index, 221 environments (21 rows and 5 folders of 40, 10 shown each) " + await PageTimer.MeasureAsync(client, "root/demo/-/environments"));
        output.WriteLine("folder page, 40 environments " + await PageTimer.MeasureAsync(client, "root/demo/-/environments/folders/review-1"));
        output.WriteLine("environment page, 500 deployments (20 a page) " + await PageTimer.MeasureAsync(client, $"root/demo/-/environments/{production.Id}"));
        output.WriteLine("job page with its environment box " + await PageTimer.MeasureAsync(client, $"root/demo/-/jobs/{job}"));
    }
}

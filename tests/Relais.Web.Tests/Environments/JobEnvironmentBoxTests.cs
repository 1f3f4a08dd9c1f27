using Relais.Protocol;
using Relais.Server.Storage;
using Relais.Server.Web.Environments;
using Relais.Server.Web.Html;
using Relais.Web.Tests.Support;

namespace Relais.Web.Tests.Environments;

/// <summary>
/// The job page's environment box (GitLab's sentences: deployed, out-of-date, creating, did not succeed, stopping) and
/// the pipeline page's list of the jobs' environments, on pages of real pipelines whose jobs finish through the runner
/// API; plus the rule that picks the sentence.
/// </summary>
public sealed class JobEnvironmentBoxTests
{
    private const string Yaml = """
        deploy: {stage: deploy, script: [echo deploy], environment: {name: staging}}
        stop-staging: {stage: deploy, script: [echo stop], when: manual, environment: {name: staging, action: stop}}
        """;

    [Theory]
    [InlineData(CiStatus.Success, "start", true, "Deployed")]
    [InlineData(CiStatus.Success, "start", false, "OutOfDate")]
    [InlineData(CiStatus.Failed, "start", false, "Failed")]
    [InlineData(CiStatus.Canceled, "start", false, "Canceled")]
    [InlineData(CiStatus.Running, "start", false, "Creating")]
    [InlineData(CiStatus.Manual, "start", false, "Creating")]
    [InlineData(CiStatus.Success, "stop", false, "Stopping")]
    [InlineData(CiStatus.Pending, "prepare", false, "Other")]
    public void The_sentence_follows_the_jobs_status_and_whether_its_deployment_is_the_last_successful_one(CiStatus status, string action, bool isLast, string expected)
    {
        var mine = new DeploymentRecord { Id = 7 };
        var last = isLast ? mine : new DeploymentRecord { Id = 9 };
        Assert.Equal(Enum.Parse<JobEnvironmentRole>(expected), JobEnvironmentBox.RoleOf(status, action, mine, last));
    }

    [Fact]
    public void A_first_successful_deployment_is_deployed_and_names_are_escaped()
    {
        Assert.Equal(JobEnvironmentRole.Deployed, JobEnvironmentBox.RoleOf(CiStatus.Success, "start", null, null));
        var h = new HtmlBuilder();
        var project = new ProjectRecord { Path = "root/demo" };
        JobEnvironmentBox.Write(h, project, new JobEnvironmentView(JobEnvironmentRole.Failed, "start", "<i>x</i>", null, null, null));
        Assert.Contains("The deployment of this job to <strong>&lt;i&gt;x&lt;/i&gt;</strong> did not succeed.", h.ToString());
    }

    [Fact]
    public async Task Job_pages_say_what_each_job_does_to_its_environment_and_the_pipeline_page_lists_them()
    {
        await using var server = await WebServer.StartAsync();
        var seed = new EnvironmentSeed(server);
        var project = await seed.ProjectAsync();
        var rootId = await seed.RootIdAsync();
        var older = await server.CreatePipelineAsync(Yaml);
        var newer = await server.CreatePipelineAsync(Yaml);
        await seed.FinishPendingJobsAsync("success");
        var staging = await seed.EnvironmentAsync(project, "staging");
        var (olderJob, newerJob) = (await server.JobIdAsync(older.Id, "deploy"), await server.JobIdAsync(newer.Id, "deploy"));
        await seed.DeploymentAsync(project, staging, olderJob, older.Id, DeploymentStatuses.Success, rootId);
        var newest = await seed.DeploymentAsync(project, staging, newerJob, newer.Id, DeploymentStatuses.Success, rootId);
        var pending = await server.CreatePipelineAsync(Yaml);
        var pendingJob = await server.JobIdAsync(pending.Id, "deploy");
        var environmentLink = $"<a href=\"/root/demo/-/environments/{staging.Id}\">staging</a>";
        var client = server.NewClient(out _);
        (await WebServer.SignInAsync(client, "root", WebServer.RootPassword)).Dispose();

        Assert.Contains($"This job is deployed to {environmentLink}.", await client.GetStringAsync($"root/demo/-/jobs/{newerJob}"));
        Assert.Contains(
            $"This job is an out-of-date deployment to {environmentLink}. View the <a href=\"/root/demo/-/jobs/{newerJob}\">most recent deployment</a>.",
            await client.GetStringAsync($"root/demo/-/jobs/{olderJob}"));
        Assert.Contains(
            $"This job is creating a deployment to {environmentLink}. This will overwrite the <a href=\"/root/demo/-/jobs/{newerJob}\">latest deployment</a>.",
            await client.GetStringAsync($"root/demo/-/jobs/{pendingJob}"));
        var stopJob = await server.JobIdAsync(pending.Id, "stop-staging");
        Assert.Contains($"This job is stopping the environment {environmentLink}.", await client.GetStringAsync($"root/demo/-/jobs/{stopJob}"));

        var pipelinePage = await client.GetStringAsync($"root/demo/-/pipelines/{newer.Id}");
        Assert.Contains("<h2 id=\"environments-title\">Environments</h2>", pipelinePage);
        Assert.Contains($"<a href=\"/root/demo/-/jobs/{newerJob}\">deploy</a> deploys to {environmentLink} · deployment #{newest.Iid} ", pipelinePage);
        Assert.Contains($"stops {environmentLink}", pipelinePage);
        Assert.DoesNotContain("environments-title", await client.GetStringAsync($"root/demo/-/pipelines/{(await server.CreatePipelineAsync("build: {script: [echo]}")).Id}"));
    }
}

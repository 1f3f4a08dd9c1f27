using System.Net;
using System.Text;
using Relais.Protocol;
using Relais.Protocol.Jobs;
using Relais.Runner.Executors.Shell;
using Relais.Server.Tests.Security;
using Relais.Server.Tests.Support;

namespace Relais.Server.Tests.Hostile;

/// <summary>
/// Issue 12: an untrusted project's job (a non-admin user's) must never reach a runner that would run it on its own
/// host unisolated. The coordinator hands it only to runners that declare <c>untrusted_jobs</c> or whose executor
/// isolates, marks its payload <c>relais_isolation_required</c>, and decides trust at hand-out; only an administrator
/// may mark a project trusted.
/// </summary>
public sealed class IsolationDispatchTests
{
    private const string OneJob = "variables: { GIT_STRATEGY: none }\njob: { script: [echo ran-here] }\n";

    [Fact]
    public async Task A_shell_runner_is_never_handed_an_untrusted_job_though_it_is_the_oldest()
    {
        await using var f = await SecurityFixture.StartAsync();
        var untrusted = await f.ProjectAsync("app", OneJob, token: f.AliceToken);
        var trusted = await f.ProjectAsync("demo", OneJob);
        var alicePipeline = await f.RunPipelineAsync(untrusted);
        var rootPipeline = await f.RunPipelineAsync(trusted);
        var (_, runner) = await f.Server.RegisterRunnerAsync();

        var shellJob = await RequestAsync(f, runner, """{"executor":"shell","features":{"variables":true}}""");
        Assert.NotNull(shellJob);
        Assert.Equal(trusted, shellJob.JobInfo.ProjectId);
        Assert.Equal(rootPipeline, shellJob.JobInfo.PipelineId);
        Assert.Null(shellJob.RelaisIsolationRequired);
        Assert.Null(await RequestAsync(f, runner, """{"executor":"shell"}"""));
        Assert.Null(await RequestAsync(f, runner, """{"executor":"ssh","features":{"untrusted_jobs":false}}"""));
        Assert.Null(await RequestAsync(f, runner, """{"executor":"custom"}"""));
        Assert.Null(await RequestAsync(f, runner, "null"));
        Assert.Equal(CiStatus.Pending, (await f.Server.Host.Stores.Pipelines.JobsOfPipelineAsync(alicePipeline)).Single().Status);

        // A gitlab-runner whose executor isolates gets it, marked.
        var dockerJob = await RequestAsync(f, runner, """{"executor":"docker","features":{"variables":true}}""");
        Assert.NotNull(dockerJob);
        Assert.Equal(untrusted, dockerJob.JobInfo.ProjectId);
        Assert.True(dockerJob.RelaisIsolationRequired);
    }

    [Fact]
    public Task A_shell_runner_finds_a_trusted_job_behind_more_untrusted_ones_than_one_request_reads() => BehindUntrustedAsync(Stores.Sqlite);

    [PostgresFact]
    public Task A_shell_runner_finds_a_trusted_job_behind_more_untrusted_ones_than_one_request_reads_on_postgres() => BehindUntrustedAsync(Stores.Postgres);

    private static async Task BehindUntrustedAsync(string store)
    {
        // 120 pending untrusted jobs, more than the queue reads per request, are older than root's one job.
        await using var f = await SecurityFixture.StartAsync(store: store);
        var untrusted = await f.ProjectAsync("app", "variables: { GIT_STRATEGY: none }\njob: { parallel: 120, script: [echo ran-here] }\n", token: f.AliceToken);
        var trusted = await f.ProjectAsync("demo", OneJob);
        await f.RunPipelineAsync(untrusted);
        var rootPipeline = await f.RunPipelineAsync(trusted);
        var (_, runner) = await f.Server.RegisterRunnerAsync();

        var shellJob = await RequestAsync(f, runner, """{"executor":"shell"}""");
        Assert.True(shellJob is not null, "the shell runner was handed nothing: the trusted job was hidden behind untrusted ones");
        Assert.Equal(rootPipeline, shellJob.JobInfo.PipelineId);
        Assert.Equal(untrusted, (await RequestAsync(f, runner, """{"executor":"docker"}"""))?.JobInfo.ProjectId);
    }

    [Fact]
    public async Task An_untrusted_job_goes_to_a_runner_declaring_untrusted_jobs_and_to_every_isolating_gitlab_executor()
    {
        await using var f = await SecurityFixture.StartAsync();
        var untrusted = await f.ProjectAsync("app", OneJob, token: f.AliceToken);
        var (_, runner) = await f.Server.RegisterRunnerAsync();
        foreach (var info in new[]
        {
            """{"executor":"shell","features":{"untrusted_jobs":true}}""", """{"executor":"docker+machine"}""", """{"executor":"docker-autoscaler"}""",
            """{"executor":"kubernetes"}""", """{"executor":"instance"}""", """{"executor":"virtualbox"}""", """{"executor":"parallels"}""", """{"executor":"docker-windows"}""",
        })
        {
            await f.RunPipelineAsync(untrusted);
            var job = await RequestAsync(f, runner, info);
            Assert.True(job is not null, info);
            Assert.True(job.RelaisIsolationRequired, info);
            Assert.Contains("\"relais_isolation_required\":true", ProtocolJson.Write(job), StringComparison.Ordinal);
        }
    }

    [Fact]
    public Task Only_an_administrator_may_mark_a_project_trusted_and_trust_is_decided_at_hand_out() => TrustFlagAsync(Stores.Sqlite);

    [PostgresFact]
    public Task Only_an_administrator_may_mark_a_project_trusted_and_trust_is_decided_at_hand_out_on_postgres() => TrustFlagAsync(Stores.Postgres);

    private static async Task TrustFlagAsync(string store)
    {
        await using var f = await SecurityFixture.StartAsync(store: store);
        var project = await f.ProjectAsync("app", OneJob, token: f.AliceToken);
        var (_, runner) = await f.Server.RegisterRunnerAsync();

        var (status, json) = await f.RestAsync(HttpMethod.Put, $"projects/{project}", f.AliceToken, """{"relais_trusted":true}""");
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal(HttpStatusCode.Forbidden, (await f.RestAsync(HttpMethod.Put, $"projects/{project}", f.AliceToken, """{"relais_trusted":true,"visibility":"public"}""")).Status);
        var (_, unchanged) = await f.RestAsync(HttpMethod.Get, $"projects/{project}", f.AliceToken);
        Assert.False(unchanged.GetProperty("relais_trusted").GetBoolean());
        Assert.Equal("private", unchanged.GetProperty("visibility").GetString());

        // Pending while untrusted; marked trusted by root, the same pending job goes to a shell runner, unmarked.
        var pipeline = await f.RunPipelineAsync(project);
        Assert.Null(await RequestAsync(f, runner, """{"executor":"shell"}"""));
        (status, json) = await f.RestAsync(HttpMethod.Put, $"projects/{project}", TestServer.RootToken, """{"relais_trusted":true}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(json.GetProperty("relais_trusted").GetBoolean());
        var job = await RequestAsync(f, runner, """{"executor":"shell"}""");
        Assert.NotNull(job);
        Assert.Equal(pipeline, job.JobInfo.PipelineId);
        Assert.Null(job.RelaisIsolationRequired);

        // Unmarked: a job created while it was trusted is not handed to a shell runner any more.
        await f.RunPipelineAsync(project);
        Assert.Equal(HttpStatusCode.OK, (await f.RestAsync(HttpMethod.Put, $"projects/{project}", TestServer.RootToken, """{"relais_trusted":"false"}""")).Status);
        Assert.Null(await RequestAsync(f, runner, """{"executor":"shell"}"""));
        Assert.True((await RequestAsync(f, runner, """{"executor":"docker"}"""))?.RelaisIsolationRequired);

        // Projects in an administrator's namespace are trusted without the flag.
        var (created, admin) = await f.RestAsync(HttpMethod.Post, "users", TestServer.RootToken, """{"username":"ops","admin":true}""");
        Assert.Equal(HttpStatusCode.Created, created);
        var ops = await f.Server.Host.Stores.Projects.EnsureProjectAsync("ops/tool", "main", DateTimeOffset.UtcNow);
        await StoredConfigs.SaveAsync(f.Server, ops.Id, OneJob);
        await f.RunPipelineAsync(ops.Id);
        Assert.Equal(ops.Id, (await RequestAsync(f, runner, """{"executor":"shell"}"""))?.JobInfo.ProjectId);
        Assert.NotEqual(0, admin.GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task A_shell_relais_runner_without_allow_untrusted_leaves_an_untrusted_job_pending_and_with_it_runs_the_job()
    {
        await using var f = await SecurityFixture.StartAsync();
        var untrusted = await f.ProjectAsync("app", OneJob, token: f.AliceToken);
        var trusted = await f.ProjectAsync("demo", OneJob);
        var alicePipeline = await f.RunPipelineAsync(untrusted);
        var rootPipeline = await f.RunPipelineAsync(trusted);
        var (_, token) = await f.Server.RegisterRunnerAsync();

        await using (RunningAgent.Start(f.Server, token, "isolation"))
        {
            var done = await f.Server.WaitForFinishedJobAsync(rootPipeline);
            Assert.Equal(CiStatus.Success, done.Status);
            await Task.Delay(TimeSpan.FromSeconds(2)); // the runner keeps asking; alice's job must still be left alone
            Assert.Equal(CiStatus.Pending, (await f.Server.Host.Stores.Pipelines.JobsOfPipelineAsync(alicePipeline)).Single().Status);
        }

        await using (RunningAgent.Start(f.Server, token, "isolation", configure: e => e with { AllowUntrusted = true }))
        {
            var done = await f.Server.WaitForFinishedJobAsync(alicePipeline);
            var trace = Encoding.UTF8.GetString(await f.Server.Host.Traces.ReadAsync(done.Id, default));
            Assert.True(done.Status == CiStatus.Success, trace);
            Assert.Contains("Using Shell (", trace, StringComparison.Ordinal);
            Assert.Contains("ran-here", trace, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_shell_runner_handed_an_isolation_required_job_fails_it_saying_why_rather_than_run_it()
    {
        await using var f = await SecurityFixture.StartAsync();
        var untrusted = await f.ProjectAsync("app", "variables: { GIT_STRATEGY: none }\njob: { script: [touch /tmp/relais-isolation-breach-$CI_JOB_ID] }\n", token: f.AliceToken);
        var pipeline = await f.RunPipelineAsync(untrusted);
        var (_, token) = await f.Server.RegisterRunnerAsync();

        // The embedded runner without a Docker engine asks for untrusted jobs only to refuse them; so would a shell
        // runner under an older coordinator that sends the flag without knowing the runner.
        await using var refusing = RunningAgent.Start(f.Server, token, "isolation", configure: e => e with { RefusesUntrustedVisibly = true });
        var done = await f.Server.WaitForFinishedJobAsync(pipeline);
        var trace = Encoding.UTF8.GetString(await f.Server.Host.Traces.ReadAsync(done.Id, default));
        Assert.True(done.Status == CiStatus.Failed, trace);
        Assert.Equal(FailureReasons.RunnerConfigurationError, done.FailureReason);
        Assert.Contains("project is not trusted", trace, StringComparison.Ordinal);
        Assert.Contains(ShellExecutor.UntrustedRefusal[..60], trace, StringComparison.Ordinal);
        Assert.DoesNotContain("Using Shell (", trace, StringComparison.Ordinal);
        Assert.False(File.Exists($"/tmp/relais-isolation-breach-{done.Id}"));
    }

    /// <summary>One <c>POST /jobs/request</c> with <paramref name="info"/> as the runner's self-description.</summary>
    private static async Task<JobResponse?> RequestAsync(SecurityFixture f, string runnerToken, string info)
    {
        using var response = await f.Http.PostAsync("api/v4/jobs/request", TestServer.Json($$"""{"token":"{{runnerToken}}","info":{{info}}}"""));
        if (response.StatusCode == HttpStatusCode.NoContent)
        {
            return null;
        }

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return ProtocolJson.ReadJob(await response.Content.ReadAsStringAsync());
    }
}

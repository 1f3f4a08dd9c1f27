using Relais.Protocol;
using Relais.Protocol.Jobs;
using Relais.Runner.Artifacts;
using Relais.Runner.Caching;
using Relais.Runner.Executors;
using Relais.Runner.Jobs;
using Relais.Runner.Sources;
using Relais.Runner.Tests.Support;
using Relais.Runner.Trace;

namespace Relais.Runner.Tests.Jobs;

/// <summary>The job-stage logic, with a scripted executor and a manual clock (no processes, no sleeping).</summary>
public sealed class JobRunnerTests : IDisposable
{
    private readonly TempDirectory _root = new("runner");
    private readonly ManualTimeProvider _time = new();
    private readonly ScriptedExecutor _executor;
    private readonly MemoryJobTrace _trace = new();

    public JobRunnerTests() => _executor = new ScriptedExecutor(_root.Combine("builds"));

    public void Dispose() => _root.Dispose();

    private JobRunner Runner(IArtifactStore? artifacts = null, RunnerSettings? settings = null) =>
        new(_executor, new DirectoryCacheStore(_root.Combine("cache")), artifacts ?? new DirectoryArtifactStore(_root.Combine("artifacts")), settings, _time);

    [Fact]
    public async Task Runs_the_stages_in_order_and_cleans_up_once()
    {
        var outcome = await Runner().RunAsync(Payloads.Job(["make"], afterScript: ["echo bye"]), _trace);

        Assert.True(outcome.Succeeded);
        Assert.Equal(["prepare", "script:step_script", "script:after_script", "cleanup"], _executor.Calls);
    }

    [Fact]
    public async Task Runs_every_main_step_before_after_script_and_the_hooks_around_sources()
    {
        var job = Payloads.Job(["build"], afterScript: ["after"]);
        job.Steps = [.. job.Steps, new JobStep { Name = "release", Script = ["release-cli create"] }];
        job.Hooks = [new JobHook { Name = StepNames.PreGetSourcesScript, Script = ["echo pre"] }];
        job.Variables = [.. job.Variables, new JobVariable("GIT_STRATEGY", "fetch")];
        var sources = new FakeSources();

        await Runner().RunAsync(job, _trace, new JobRunOptions { Sources = sources });

        Assert.Equal(["prepare", "script:pre_get_sources_script", "script:step_script", "script:step_release", "script:after_script", "cleanup"], _executor.Calls);
        Assert.Contains("Executing \"step_release\" stage of the job script", _trace.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_prepare_skips_everything_but_cleanup()
    {
        _executor.PrepareOverride = PrepareResult.Failed("image_pull_failure", "no such image");

        var outcome = await Runner().RunAsync(Payloads.Job(["make"], afterScript: ["after"]), _trace);

        Assert.Equal((JobResult.Failed, "image_pull_failure"), (outcome.Result, outcome.FailureReason));
        Assert.Equal(["prepare", "cleanup"], _executor.Calls);
        Assert.Contains("ERROR: Job failed: no such image", _trace.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Failed_sources_skip_the_scripts_but_still_upload_failure_artifacts()
    {
        var job = Payloads.Job(["make"], afterScript: ["after"]);
        job.Artifacts = [new JobArtifact { Name = "logs", Paths = ["**"], When = "on_failure" }];
        var sources = new FakeSources { Failures = 5 };

        var outcome = await Runner().RunAsync(job with { Variables = [.. job.Variables, new JobVariable("GET_SOURCES_ATTEMPTS", "3")] }, _trace, new JobRunOptions { Sources = sources });

        Assert.Equal(FailureReasons.ScriptFailure, outcome.FailureReason);
        Assert.Equal(3, sources.Calls);
        Assert.Equal(["prepare", "cleanup"], _executor.Calls);
        Assert.Contains("retrying, attempt 3 of 3", _trace.Text, StringComparison.Ordinal);
        Assert.Contains("Uploading artifacts for failed job", _trace.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Timeout_stops_the_script_runs_after_script_and_reports_job_execution_timeout()
    {
        _executor.Results["step_script"] = ScriptedExecutor.Block;
        var run = Runner().RunAsync(Payloads.Job(["sleep"], afterScript: ["after"], timeoutSeconds: 60), _trace);
        await WaitForCallAsync("script:step_script");

        _time.Advance(TimeSpan.FromSeconds(61));
        var outcome = await run.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal((JobResult.Failed, FailureReasons.JobExecutionTimeout, (int?)null), (outcome.Result, outcome.FailureReason, outcome.ExitCode));
        Assert.Equal("failed", _executor.Env("after_script", "CI_JOB_STATUS"));
        Assert.Contains("execution took longer than 1m0s seconds", _trace.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_script_has_its_own_timeout()
    {
        _executor.Results["after_script"] = ScriptedExecutor.Block;
        var run = Runner(settings: new RunnerSettings { AfterScriptTimeout = TimeSpan.FromMinutes(5) }).RunAsync(Payloads.Job(["ok"], afterScript: ["hang"]), _trace);
        await WaitForCallAsync("script:after_script");

        _time.Advance(TimeSpan.FromMinutes(5));
        var outcome = await run.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(outcome.Succeeded);
        Assert.Contains("after_script was stopped", _trace.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Abort_skips_after_script_but_not_cleanup()
    {
        _executor.Results["step_script"] = ScriptedExecutor.Block;
        using var abort = new CancellationTokenSource();
        var run = Runner().RunAsync(Payloads.Job(["sleep"], afterScript: ["after"]), _trace, abort: abort.Token);
        await WaitForCallAsync("script:step_script");

        await abort.CancelAsync();
        var outcome = await run.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(JobResult.Canceled, outcome.Result);
        Assert.Equal(["prepare", "script:step_script", "cleanup"], _executor.Calls);
    }

    [Fact]
    public async Task An_executor_exception_is_a_runner_system_failure_and_cleanup_still_runs()
    {
        _executor.ThrowOnScript = new InvalidOperationException("the daemon went away");

        var outcome = await Runner().RunAsync(Payloads.Job(["make"]), _trace);

        Assert.Equal(FailureReasons.RunnerSystemFailure, outcome.FailureReason);
        Assert.Equal("cleanup", _executor.Calls[^1]);
        Assert.Contains("Job failed (system failure): step_script: the daemon went away", _trace.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_upload_fails_a_successful_job()
    {
        var job = Payloads.Job(["make"]);
        job.Artifacts = [new JobArtifact { Name = "a", Paths = ["*"] }];
        _executor.Results["step_script"] = ScriptResult.Exit(0);
        var prepared = Runner(new FailingArtifactStore());
        Directory.CreateDirectory(_root.Combine("builds", "local", "0", "group", "app"));
        File.WriteAllText(_root.Combine("builds", "local", "0", "group", "app", "file.txt"), "x");

        var outcome = await prepared.RunAsync(job, _trace);

        Assert.Equal(FailureReasons.ScriptFailure, outcome.FailureReason);
        Assert.Contains("uploading artifacts as \"archive\" failed: disk full", _trace.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Predefined_variables_come_first_and_payload_variables_override_them()
    {
        var job = Payloads.Job(["env"], variables: [new JobVariable("CI_SERVER", "overridden"), new JobVariable("TOKEN_FILE", "s3cret", file: true)]);
        job.Image = new JobImage { Name = "alpine:3" };

        await Runner(settings: new RunnerSettings { Token = "glrt-abcdefghijkl", Variables = [new JobVariable("FROM_RUNNER", "yes")] })
            .RunAsync(job, _trace, new JobRunOptions { ConcurrentId = 3, ConcurrentProjectId = 1 });

        Assert.Equal("/builds/abcdefgh/1/group/app", _executor.Env("step_script", "CI_PROJECT_DIR"));
        Assert.Equal("/builds", _executor.Env("step_script", "CI_BUILDS_DIR"));
        Assert.Equal("3", _executor.Env("step_script", "CI_CONCURRENT_ID"));
        Assert.Equal("1", _executor.Env("step_script", "CI_CONCURRENT_PROJECT_ID"));
        Assert.Equal("overridden", _executor.Env("step_script", "CI_SERVER"));
        Assert.Equal("3600", _executor.Env("step_script", "CI_JOB_TIMEOUT"));
        Assert.Equal("true", _executor.Env("step_script", "CI_DISPOSABLE_ENVIRONMENT"));
        Assert.Equal("alpine:3", _executor.Env("step_script", "CI_JOB_IMAGE"));
        Assert.Equal("abcdefgh", _executor.Env("step_script", "CI_RUNNER_SHORT_TOKEN"));
        Assert.Equal("yes", _executor.Env("step_script", "FROM_RUNNER"));
        Assert.Equal("/builds/abcdefgh/1/group/app.tmp/TOKEN_FILE", _executor.Env("step_script", "TOKEN_FILE"));
        Assert.StartsWith("linux/", _executor.Env("step_script", "CI_RUNNER_EXECUTABLE_ARCH"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Outcome_becomes_the_final_job_update()
    {
        var outcome = new JobOutcome(JobResult.Failed, "image_pull_failure", 0, TimeSpan.Zero);

        var update = outcome.ToUpdateRequest("tok", "crc32:00000001", 10, ["script_failure"]);

        Assert.Equal(("failed", "runner_system_failure", (int?)null), (update.State, update.FailureReason, update.ExitCode));
        Assert.Equal("success", (outcome with { Result = JobResult.Success }).ToUpdateRequest("tok", "c", 1, []).State);
        await Task.CompletedTask;
    }

    private async Task WaitForCallAsync(string call)
    {
        for (var i = 0; i < 500 && !_executor.Calls.Contains(call); i++)
        {
            await Task.Delay(10);
        }

        Assert.Contains(call, _executor.Calls);
    }

    private sealed class FakeSources : ISourceProvider
    {
        public int Failures { get; init; }

        public int Calls { get; private set; }

        public string Header => "Fake sources";

        public bool Fetches(SourceContext context) => true;

        public Task<StageResult> GetSourcesAsync(SourceContext context, CancellationToken cancellationToken) =>
            Task.FromResult(++Calls <= Failures ? StageResult.Failed(FailureReasons.ScriptFailure, "git fetch failed", 128) : StageResult.Ok);

        public Task<IReadOnlyList<string>> ListUntrackedAsync(SourceContext context, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<string>>([]);
    }

    private sealed class FailingArtifactStore : IArtifactStore
    {
        public Task UploadAsync(ArtifactUpload upload, Stream content, CancellationToken cancellationToken) => throw new IOException("disk full");

        public Task<Stream?> OpenDependencyAsync(JobDependency dependency, string jobToken, CancellationToken cancellationToken) => Task.FromResult<Stream?>(null);
    }
}

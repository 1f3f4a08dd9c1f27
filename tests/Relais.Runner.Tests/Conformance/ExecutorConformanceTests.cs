using Relais.Protocol;
using Relais.Protocol.Jobs;
using Relais.Runner.Artifacts;
using Relais.Runner.Caching;
using Relais.Runner.Executors;
using Relais.Runner.Jobs;
using Relais.Runner.Trace;

namespace Relais.Runner.Tests.Conformance;

/// <summary>
/// What every executor must do, checked through the real <see cref="JobRunner"/> with real processes. An executor's
/// test class derives from this one and says how to create the executor; nothing else.
/// </summary>
public abstract partial class ExecutorConformanceTests : IDisposable
{
    protected ExecutorConformanceTests()
    {
        Root = new TempDirectory(GetType().Name);
        Artifacts = new DirectoryArtifactStore(Root.Combine("artifacts"));
        Cache = new DirectoryCacheStore(Root.Combine("cache"));
    }

    protected TempDirectory Root { get; }

    protected DirectoryArtifactStore Artifacts { get; }

    protected DirectoryCacheStore Cache { get; }

    /// <summary>Creates the executor under test with its builds directory (and a short kill grace period).</summary>
    protected abstract IExecutor CreateExecutor(string buildsDir);

    public void Dispose()
    {
        Root.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The executor under test, wrapped to remember the paths it prepared.</summary>
    protected RecordingExecutor Executor => _executor ??= new RecordingExecutor(CreateExecutor(Root.Combine("builds")));

    private RecordingExecutor? _executor;

    protected JobRunner Runner() => new(Executor, Cache, Artifacts);

    /// <summary>The host project directory of the last job prepared.</summary>
    protected string ProjectDir() => Executor.LastPaths?.HostProjectDir ?? throw new InvalidOperationException("no job was prepared");

    protected async Task<(JobOutcome Outcome, string Log)> RunAsync(JobResponse job, JobRunOptions? options = null, CancellationToken cancel = default)
    {
        var trace = new MemoryJobTrace();
        var outcome = await Runner().RunAsync(job, trace, options, cancel);
        return (outcome, trace.Text);
    }

    [ConformanceFact]
    public async Task A_successful_script_echoes_each_command_and_succeeds()
    {
        var (outcome, log) = await RunAsync(Payloads.Job(["echo first", "echo second", "echo to-stderr >&2; echo after"]));

        Assert.Equal(JobResult.Success, outcome.Result);
        Assert.Contains("\e[32;1m$ echo first\e[0;m\nfirst\n\e[32;1m$ echo second\e[0;m\nsecond\n", log, StringComparison.Ordinal);
        Assert.Contains("\nto-stderr\nafter\n", log, StringComparison.Ordinal);
        Assert.DoesNotContain("not found", log, StringComparison.Ordinal);
        Assert.Contains("Executing \"step_script\" stage of the job script", log, StringComparison.Ordinal);
        Assert.EndsWith("\e[32;1mJob succeeded\e[0;m\n", log, StringComparison.Ordinal);
        Assert.StartsWith("Running with relais ", log, StringComparison.Ordinal);
    }

    [ConformanceFact]
    public async Task A_failing_command_stops_the_script_and_fails_with_its_exit_code()
    {
        var (outcome, log) = await RunAsync(Payloads.Job(["echo before", "sh -c 'exit 3'", "echo never"]));

        Assert.Equal(new JobOutcome(JobResult.Failed, FailureReasons.ScriptFailure, 3, outcome.Duration), outcome);
        Assert.DoesNotContain("\nnever\n", log, StringComparison.Ordinal);
        Assert.EndsWith("\e[31;1mERROR: Job failed: exit code 3\e[0;m\n", log, StringComparison.Ordinal);
    }

    [ConformanceFact]
    public async Task Errexit_applies_inside_multi_line_commands_and_stdin_is_empty()
    {
        var (outcome, log) = await RunAsync(Payloads.Job(["if read -r line; then echo got-input; else echo no-input; fi", "echo one\nfalse\necho two"]));

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("no-input", log, StringComparison.Ordinal);
        Assert.Contains("$ echo one # collapsed multi-line command", log, StringComparison.Ordinal);
        Assert.DoesNotContain("\ntwo\n", log, StringComparison.Ordinal);
    }

    [ConformanceFact]
    public async Task The_script_runs_in_the_project_dir_with_job_and_predefined_variables()
    {
        var job = Payloads.Job(
            ["echo \"pwd=$(pwd)\"", "echo \"dir=$CI_PROJECT_DIR server=$CI_SERVER status=$CI_JOB_STATUS timeout=$CI_JOB_TIMEOUT\"", "echo \"greeting=$GREETING slot=$CI_CONCURRENT_ID\""],
            variables: [new JobVariable("NAME", "world"), new JobVariable("GREETING", "hello $NAME")],
            timeoutSeconds: 600);

        var (outcome, log) = await RunAsync(job, new JobRunOptions { ConcurrentId = 4 });

        Assert.True(outcome.Succeeded, log);
        var dir = Line(log, "dir=").Split(' ')[0]["dir=".Length..];
        Assert.Equal("pwd=" + dir, Line(log, "pwd="));
        Assert.EndsWith("/group/app", dir, StringComparison.Ordinal);
        Assert.Equal($"dir={dir} server=yes status=running timeout=600", Line(log, "dir="));
        Assert.Equal("greeting=hello world slot=4", Line(log, "greeting="));
    }

    [ConformanceFact]
    public async Task Masked_values_and_the_job_token_never_reach_the_log()
    {
        var job = Payloads.Job(
        [
            "echo \"secret=$MY_SECRET token=$CI_JOB_TOKEN\"",
            "printf 'split: %s' \"${MY_SECRET%??????}\"; sleep 0.1; printf '%s\\n' \"${MY_SECRET#?????????}\"",
        ],
            variables: [new JobVariable("MY_SECRET", "Tr0ub4dor&3-xyz", isPublic: false, masked: true)]);
        job.Variables = [.. job.Variables, new JobVariable("CI_JOB_TOKEN", job.Token, isPublic: false, masked: true)];

        var (outcome, log) = await RunAsync(job);

        Assert.True(outcome.Succeeded, log);
        Assert.Contains("secret=[MASKED] token=[MASKED]", log, StringComparison.Ordinal);
        Assert.Contains("split: [MASKED]", log, StringComparison.Ordinal);
        Assert.DoesNotContain("Tr0ub4dor", log, StringComparison.Ordinal);
        Assert.DoesNotContain(job.Token, log, StringComparison.Ordinal);
    }

    [ConformanceFact]
    public async Task After_script_runs_after_a_failure_in_a_new_shell_and_never_changes_the_result()
    {
        var job = Payloads.Job(["export FROM_SCRIPT=yes", "exit 2"], afterScript: ["echo \"status=$CI_JOB_STATUS from_script=${FROM_SCRIPT:-no}\"", "exit 9"]);

        var (outcome, log) = await RunAsync(job);

        Assert.Equal((JobResult.Failed, 2), (outcome.Result, outcome.ExitCode));
        Assert.Contains("status=failed from_script=no", log, StringComparison.Ordinal);
        Assert.Contains("WARNING: after_script failed, but job will continue unaffected: exit code 9", log, StringComparison.Ordinal);
    }

    [ConformanceFact]
    public async Task After_script_failure_leaves_a_successful_job_successful()
    {
        var (outcome, log) = await RunAsync(Payloads.Job(["true"], afterScript: ["echo status=$CI_JOB_STATUS", "false"]));

        Assert.True(outcome.Succeeded);
        Assert.Contains("status=success", log, StringComparison.Ordinal);
    }

    [ConformanceFact]
    public async Task A_canceled_job_runs_after_script_with_status_canceled()
    {
        var trace = new MemoryJobTrace();
        using var cancel = new CancellationTokenSource();
        var run = Runner().RunAsync(Payloads.Job(["echo started", "sleep 60"], afterScript: ["echo status=$CI_JOB_STATUS"]), trace, cancel: cancel.Token);
        await WaitForAsync(trace, "started\n");

        await cancel.CancelAsync();
        var outcome = await run.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(JobResult.Canceled, outcome.Result);
        Assert.Contains("status=canceled", trace.Text, StringComparison.Ordinal);
        Assert.EndsWith("ERROR: Job failed: canceled\e[0;m\n", trace.Text, StringComparison.Ordinal);
        Assert.True(outcome.Duration < TimeSpan.FromSeconds(15));
    }

    [ConformanceFact]
    public async Task A_job_that_runs_too_long_fails_with_job_execution_timeout()
    {
        var job = Payloads.Job(["echo started", "sleep 60"], afterScript: ["echo status=$CI_JOB_STATUS"], timeoutSeconds: 1);

        var (outcome, log) = await RunAsync(job);

        Assert.Equal((JobResult.Failed, FailureReasons.JobExecutionTimeout), (outcome.Result, outcome.FailureReason));
        Assert.Contains("status=failed", log, StringComparison.Ordinal);
        Assert.Contains("ERROR: Job failed: execution took longer than 1s seconds", log, StringComparison.Ordinal);
        Assert.True(outcome.Duration < TimeSpan.FromSeconds(15));
    }

    [ConformanceFact]
    public async Task Cancel_kills_children_grandchildren_and_detached_descendants()
    {
        var trace = new MemoryJobTrace();
        using var cancel = new CancellationTokenSource();
        var job = Payloads.Job(
        [
            "sleep 301 & echo $! > child.pid",
            "sh -c 'sleep 302 & echo $! > grandchild.pid; wait' &",
            "setsid sleep 303 & echo $! > detached.pid",
            "sleep 0.2; echo started",
            "wait",
        ]);
        var run = Runner().RunAsync(job, trace, cancel: cancel.Token);
        await WaitForAsync(trace, "started\n");
        var dir = ProjectDir();
        var pids = new[] { "child.pid", "grandchild.pid", "detached.pid" }.Select(f => int.Parse(ReadRunningJobFile(dir, f).Trim(), System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.All(pids, pid => Assert.True(IsAlive(pid), $"{pid} should run before the cancel"));

        await cancel.CancelAsync();
        var outcome = await run.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(JobResult.Canceled, outcome.Result);
        Assert.All(pids, pid => Assert.False(IsAlive(pid), $"process {pid} survived the cancel"));
    }

    [ConformanceFact]
    public async Task Background_processes_do_not_outlive_their_step()
    {
        var job = Payloads.Job(["sleep 304 & echo \"leftover=$!\"", "echo done"]);

        var (outcome, log) = await RunAsync(job);

        Assert.True(outcome.Succeeded, log);
        var pid = int.Parse(Line(log, "leftover=")["leftover=".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        await WaitUntilAsync(() => !IsAlive(pid));
    }

    [ConformanceFact]
    public async Task File_variables_are_files_whose_path_is_the_value_and_are_removed_after_the_job()
    {
        var job = Payloads.Job(
            ["echo \"path=$KUBECONFIG\"", "cat \"$KUBECONFIG\"; echo", "test \"$(dirname \"$KUBECONFIG\")\" != \"$CI_PROJECT_DIR\""],
            variables: [new JobVariable("KUBECONFIG", "apiVersion: v1\nkind: Config", file: true)]);

        var (outcome, log) = await RunAsync(job);

        Assert.True(outcome.Succeeded, log);
        Assert.Contains("apiVersion: v1\nkind: Config\n", log, StringComparison.Ordinal);
        var path = Line(log, "path=")["path=".Length..];
        Assert.EndsWith("/KUBECONFIG", path, StringComparison.Ordinal);
        Assert.False(File.Exists(path), "file variables are removed during cleanup");
    }

    [ConformanceFact]
    public async Task File_variables_are_private_referenced_by_path_and_their_masked_content_stays_out_of_the_log()
    {
        const string Secret = "Masked-File-Content-77";
        var job = Payloads.Job(
            ["test \"$ALIAS\" = \"$SECRET\"", "echo \"option=$OPTION\"", "echo \"mode=$(stat -c %a \"$SECRET\")\"", "cat \"$SECRET\"; echo ' <- content'"],
            variables:
            [
                new JobVariable("SECRET", Secret, isPublic: false, masked: true, file: true),
                new JobVariable("ALIAS", "$SECRET"),
                new JobVariable("OPTION", "--kubeconfig=${SECRET}"),
            ]);

        var (outcome, log) = await RunAsync(job);

        Assert.True(outcome.Succeeded, log);
        Assert.Contains("[MASKED] <- content", log, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, log, StringComparison.Ordinal);
        Assert.EndsWith("/SECRET", Line(log, "option=--kubeconfig="), StringComparison.Ordinal);
        Assert.Equal("mode=" + FileVariableMode, Line(log, "mode="));
    }

    /// <summary>The mode of a file variable's file as the script sees it: the job's user's only, where the job runs as the runner's user.</summary>
    protected virtual string FileVariableMode => "600";

    [ConformanceFact]
    public async Task Jobs_in_different_slots_run_at_once_in_their_own_directories()
    {
        JobResponse Job(string name) => Payloads.Job(["echo " + name + " > owner.txt", "sleep 0.3", "test \"$(cat owner.txt)\" = " + name, "echo \"dir=$CI_PROJECT_DIR\""]);

        var runs = await Task.WhenAll(
            RunAsync(Job("first"), new JobRunOptions { ConcurrentId = 0 }),
            RunAsync(Job("second"), new JobRunOptions { ConcurrentId = 1 }));

        Assert.All(runs, r => Assert.True(r.Outcome.Succeeded, r.Log));
        Assert.NotEqual(Line(runs[0].Log, "dir="), Line(runs[1].Log, "dir="));
    }

    [ConformanceFact]
    public async Task Sections_surround_every_stage_in_order()
    {
        var (_, log) = await RunAsync(Payloads.Job(["true"], afterScript: ["true"]));

        string[] expected = ["prepare_executor", "prepare_script", "get_sources", "step_script", "after_script", "cleanup_file_variables"];
        var starts = SectionRegex().Matches(log).Select(m => (m.Groups[1].Value, m.Groups[2].Value)).ToList();
        Assert.Equal(expected.SelectMany(s => new[] { ("start", s), ("end", s) }), starts);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"section_(start|end):\d+:([a-z_]+)\r\e\[0K")]
    private static partial System.Text.RegularExpressions.Regex SectionRegex();

    protected static string Line(string log, string prefix) =>
        log.Split('\n').FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal)) ?? "";

    protected static async Task WaitForAsync(MemoryJobTrace trace, string text)
    {
        await WaitUntilAsync(() => trace.Text.Contains(text, StringComparison.Ordinal), $"'{text}' in the log:\n{trace.Text}");
    }

    protected static async Task WaitUntilAsync(Func<bool> condition, string? what = null)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for " + (what ?? "a condition"));
            await Task.Delay(20);
        }
    }

    /// <summary>Reads a file the running job wrote in its project directory (executors without a shared disk override it).</summary>
    protected virtual string ReadRunningJobFile(string hostProjectDir, string name) => File.ReadAllText(Path.Combine(hostProjectDir, name));

    /// <summary>Whether a process the job started (its pid as the script saw it) still runs (container executors override it).</summary>
    protected virtual bool IsAlive(int pid) => IsHostProcessAlive(pid);

    protected static bool IsHostProcessAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..][0];
            return state is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }
}

using Relais.Docker.Tests.Support;
using Relais.Protocol;
using Relais.Protocol.Jobs;
using Relais.Runner.Jobs;

namespace Relais.Docker.Tests;

/// <summary>Jobs in real containers: images, the workspace round trip, failures, cancel and timeout, and no leftovers.</summary>
public sealed class DockerJobTests : IDisposable
{
    private readonly DockerHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [DockerFact]
    public async Task A_job_runs_in_the_busybox_image_in_a_disposable_environment_and_leaves_nothing()
    {
        var job = Payloads.Job(["cat /etc/passwd | head -1", "echo \"disposable=$CI_DISPOSABLE_ENVIRONMENT shared=${CI_SHARED_ENVIRONMENT:-no}\"", "busybox | head -1"]);
        job.Image = new JobImage { Name = DockerTest.Busybox };

        var (outcome, log) = await _harness.RunAsync(job);

        Assert.True(outcome.Succeeded, log);
        Assert.Contains("Using Docker executor with image relais-test/busybox:latest", log, StringComparison.Ordinal);
        Assert.Contains("disposable=true shared=no", log, StringComparison.Ordinal);
        Assert.Contains("BusyBox v", log, StringComparison.Ordinal);
        await _harness.AssertNoLeftoversAsync(job);
    }

    [DockerFact]
    public async Task A_realistic_job_in_debian_gets_the_checkout_uses_bash_and_hands_back_its_files()
    {
        using var repo = new TempDirectory("repo");
        var sha = TestGit.InitRepository(repo.Path, ("README.md", "hello\n"), ("build.sh", "#!/bin/bash\nset -euo pipefail\nmkdir -p out\necho \"built from $(git rev-parse --short HEAD)\" > out/result.txt\n"));
        var job = Payloads.Job(
        [
            "echo \"shell=${BASH_VERSION:+bash}\"",
            "false | true",
            "echo unreachable-under-pipefail",
        ]);
        job.Image = new JobImage { Name = DockerTest.Debian };
        job.GitInfo = new GitInfo { RepoUrl = repo.Path, Ref = "main", Sha = sha, RefType = "branch" };
        job.Variables = [.. job.Variables.Where(v => v.Key != "GIT_STRATEGY"), new JobVariable("GIT_STRATEGY", "clone")];
        var (failed, failedLog) = await _harness.RunAsync(job);
        Assert.Equal((JobResult.Failed, 1), (failed.Result, failed.ExitCode));
        Assert.Contains("shell=bash", failedLog, StringComparison.Ordinal);
        Assert.DoesNotContain("unreachable-under-pipefail", failedLog, StringComparison.Ordinal);

        var build = Payloads.Job(["bash build.sh", "cat out/result.txt", "rm README.md", "git status --short"]);
        build.Image = new JobImage { Name = DockerTest.Debian };
        build.GitInfo = job.GitInfo;
        build.Variables = job.Variables;
        build.Artifacts = [new JobArtifact { Name = "out", Paths = ["out/"], ArtifactType = "archive", ArtifactFormat = "zip", When = "on_success" }];
        var (outcome, log) = await _harness.RunAsync(build);

        Assert.True(outcome.Succeeded, log);
        Assert.Contains("built from " + sha[..7], log, StringComparison.Ordinal);
        Assert.Contains(" D README.md", log, StringComparison.Ordinal);
        Assert.Contains("out/: found 2 matching artifact files and directories", log, StringComparison.Ordinal);
        var staged = Directory.GetDirectories(_harness.Root.Combine("builds"), "app", SearchOption.AllDirectories).Single();
        Assert.Equal("built from " + sha[..7] + "\n", File.ReadAllText(Path.Combine(staged, "out", "result.txt")));
        Assert.False(File.Exists(Path.Combine(staged, "README.md")), "a file the script removed is gone from the staging copy");
        await _harness.AssertNoLeftoversAsync(build);
    }

    [DockerFact]
    public async Task A_missing_image_with_pull_policy_never_fails_with_image_pull_failure()
    {
        var job = Payloads.Job(["echo never"]);
        job.Image = new JobImage { Name = "relais-test/absent:1", PullPolicy = ["never"] };
        using var harness = new DockerHarness(o => o with { AllowedPullPolicies = ["never", "if-not-present"] });

        var (outcome, log) = await harness.RunAsync(job);

        Assert.Equal((JobResult.Failed, FailureReasons.ImagePullFailure), (outcome.Result, outcome.FailureReason));
        Assert.Contains("relais-test/absent:1 is not present and the pull policy is \"never\"", log, StringComparison.Ordinal);
        await harness.AssertNoLeftoversAsync(job);
    }

    [DockerFact]
    public async Task Images_and_pull_policies_outside_the_allowed_lists_are_refused()
    {
        using var harness = new DockerHarness(o => o with { AllowedImages = ["relais-test/*"] });
        var other = Payloads.Job(["true"]);
        other.Image = new JobImage { Name = "library/alpine:3" };
        var policy = Payloads.Job(["true"]);
        policy.Image = new JobImage { Name = DockerTest.Busybox, PullPolicy = ["always"] };

        var (refused, refusedLog) = await harness.RunAsync(other);
        var (badPolicy, badPolicyLog) = await harness.RunAsync(policy);

        Assert.Equal(JobResult.Failed, refused.Result);
        Assert.Contains("the image library/alpine:3 is not allowed (allowed_images: relais-test/*)", refusedLog, StringComparison.Ordinal);
        Assert.Equal(FailureReasons.ImagePullFailure, badPolicy.FailureReason);
        Assert.Contains("is not one of the allowed_pull_policies ([if-not-present])", badPolicyLog, StringComparison.Ordinal);
    }

    [DockerFact]
    public async Task An_entrypoint_override_replaces_the_image_entrypoint()
    {
        // The dind image's entrypoint starts dockerd: with entrypoint [""] the script runs instead.
        var job = Payloads.Job(["echo \"entry=$(ls /usr/local/bin | grep -c dockerd-entrypoint)\"", "docker --version"]);
        job.Image = new JobImage { Name = DockerTest.Dind, Entrypoint = [""] };

        var (outcome, log) = await _harness.RunAsync(job);

        Assert.True(outcome.Succeeded, log);
        Assert.Contains("entry=1", log, StringComparison.Ordinal);
        Assert.Contains("Docker version", log, StringComparison.Ordinal);
    }

    [DockerFact]
    public async Task A_script_that_removes_its_project_directory_still_ends_cleanly_and_after_script_runs()
    {
        var job = Payloads.Job(["touch left.txt", "cd / && rm -rf \"$CI_PROJECT_DIR\"", "echo removed"], afterScript: ["echo \"after in $(pwd)\"", "ls -A"]);

        var (outcome, log) = await _harness.RunAsync(job);

        Assert.True(outcome.Succeeded, log);
        Assert.Contains("after in /builds/", log, StringComparison.Ordinal);
        Assert.DoesNotContain("left.txt", log.Split("Running after script...")[1], StringComparison.Ordinal);
        Assert.DoesNotContain("WARNING", log, StringComparison.Ordinal);
        await _harness.AssertNoLeftoversAsync(job);
    }

    [DockerFact]
    public async Task A_job_that_collects_nothing_keeps_its_changes_in_the_volume_without_copying_them_back()
    {
        var job = Payloads.Job(["echo made > made.txt"], afterScript: ["echo \"after sees $(cat made.txt)\""]);

        var (outcome, log) = await _harness.RunAsync(job);

        Assert.True(outcome.Succeeded, log);
        Assert.Contains("after sees made", log, StringComparison.Ordinal);
        // No cache and no artifacts: nothing on the host reads the project directory, so it is not copied back.
        Assert.Empty(Directory.GetFiles(_harness.Root.Combine("builds"), "made.txt", SearchOption.AllDirectories));
        await _harness.AssertNoLeftoversAsync(job);
    }

    [DockerFact]
    public async Task Cancel_mid_job_stops_the_container_runs_after_script_and_removes_everything()
    {
        var job = Payloads.Job(["echo started", "sleep 120"], afterScript: ["echo status=$CI_JOB_STATUS"]);
        job.Services = [new JobService { Name = DockerTest.Busybox, Alias = "sidecar", Command = ["sleep", "300"] }];
        using var cancel = new CancellationTokenSource();
        var trace = new Relais.Runner.Trace.MemoryJobTrace();
        var run = _harness.Runner.RunAsync(job, trace, cancel: cancel.Token);
        await DockerHarness.WaitForAsync(trace, "started\n");
        Assert.NotEmpty(await _harness.ResourcesOfAsync(job.Id));

        await cancel.CancelAsync();
        var outcome = await run.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(JobResult.Canceled, outcome.Result);
        Assert.Contains("status=canceled", trace.Text, StringComparison.Ordinal);
        await _harness.AssertNoLeftoversAsync(job);
    }

    [DockerFact]
    public async Task A_timeout_fails_the_job_and_removes_everything()
    {
        // The timeout may fire during the service's start on a loaded machine or during the script: either way it is a timeout.
        var job = Payloads.Job(["echo started", "sleep 120"], timeoutSeconds: 3);
        job.Services = [new JobService { Name = DockerTest.Busybox, Alias = "sidecar", Command = ["sleep", "300"] }];

        var (outcome, log) = await _harness.RunAsync(job);

        Assert.Equal((JobResult.Failed, FailureReasons.JobExecutionTimeout), (outcome.Result, outcome.FailureReason));
        Assert.Contains("ERROR: Job failed: execution took longer than 3s seconds", log, StringComparison.Ordinal);
        await _harness.AssertNoLeftoversAsync(job);
    }
}

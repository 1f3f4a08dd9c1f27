using Relais.Protocol.Jobs;
using Relais.Runner.Jobs;

namespace Relais.Runner.Tests.Conformance;

/// <summary>The conformance checks around files: artifacts, caches, reports.</summary>
public abstract partial class ExecutorConformanceTests
{
    [ConformanceFact]
    public async Task Artifacts_round_trip_to_a_later_job_with_exclusions()
    {
        var build = Payloads.Job(["mkdir -p out/tmp", "echo binary > out/app.bin", "echo scratch > out/tmp/x", "echo log > build.log"]);
        build.Artifacts = [new JobArtifact { Name = "build-$CI_JOB_ID", Paths = ["out/", "*.log"], Exclude = ["out/tmp/**"], ArtifactType = "archive", ArtifactFormat = "zip" }];
        var (built, buildLog) = await RunAsync(build);
        Assert.True(built.Succeeded, buildLog);
        Assert.Contains("out/: found 2 matching artifact files and directories", buildLog, StringComparison.Ordinal);
        Assert.Contains("Uploading artifacts as \"archive\" to coordinator... ok (build-" + build.Id + ".zip", buildLog, StringComparison.Ordinal);

        var test = Payloads.Job(["cat out/app.bin build.log", "test ! -e out/tmp/x"], variables: [new JobVariable("GIT_STRATEGY", "empty")]);
        test.Dependencies = [new JobDependency { Id = build.Id, Name = "build", Token = build.Token, ArtifactsFile = new ArtifactsFile { Filename = "artifacts.zip" } }];
        var (tested, testLog) = await RunAsync(test);

        Assert.True(tested.Succeeded, testLog);
        Assert.Contains($"Downloading artifacts for build ({build.Id})...", testLog, StringComparison.Ordinal);
        Assert.Contains("binary\nlog\n", testLog, StringComparison.Ordinal);
    }

    [ConformanceFact]
    public async Task Artifacts_follow_when_and_a_missing_dependency_fails_the_job()
    {
        var job = Payloads.Job(["echo report > failure.txt", "echo ok > success.txt", "exit 1"]);
        job.Artifacts =
        [
            new JobArtifact { Name = "on-failure", Paths = ["failure.txt"], When = "on_failure" },
            new JobArtifact { Name = "on-success", Paths = ["success.txt"], When = "on_success", ArtifactType = "metrics", ArtifactFormat = "gzip" },
        ];
        var (outcome, log) = await RunAsync(job);
        Assert.False(outcome.Succeeded);
        Assert.Contains("Uploading artifacts for failed job", log, StringComparison.Ordinal);
        Assert.NotNull(Artifacts.Find(job.Id, "archive"));
        Assert.Null(Artifacts.Find(job.Id, "metrics"));

        var orphan = Payloads.Job(["true"]);
        orphan.Dependencies = [new JobDependency { Id = 999_999, Name = "gone", ArtifactsFile = new ArtifactsFile { Filename = "artifacts.zip" } }];
        var (missing, missingLog) = await RunAsync(orphan);
        Assert.False(missing.Succeeded);
        Assert.Contains("the artifacts of gone (999999) were not found", missingLog, StringComparison.Ordinal);
    }

    [ConformanceFact]
    public async Task Reports_are_summarized_and_uploaded_even_when_the_job_fails()
    {
        var job = Payloads.Job(
        [
            "printf '<testsuite><testcase name=\"a\"/><testcase name=\"b\"><failure/></testcase></testsuite>' > junit.xml",
            "printf 'VERSION=1.2.3\\nBUILD=7\\n' > build.env",
            "exit 1",
        ]);
        job.Artifacts =
        [
            new JobArtifact { Name = "junit.xml", Paths = ["junit.xml"], When = "always", ArtifactType = "junit", ArtifactFormat = "gzip" },
            new JobArtifact { Name = ".env", Paths = ["build.env"], When = "always", ArtifactType = "dotenv", ArtifactFormat = "gzip" },
        ];

        var (_, log) = await RunAsync(job);

        Assert.Contains("JUnit report: 2 tests, 1 failures, 0 errors, 0 skipped", log, StringComparison.Ordinal);
        Assert.Contains("dotenv report build.env: 2 variables", log, StringComparison.Ordinal);
        var dotenv = Artifacts.Find(job.Id, "dotenv")!;
        using var gzip = new System.IO.Compression.GZipStream(File.OpenRead(dotenv), System.IO.Compression.CompressionMode.Decompress);
        using var copy = new MemoryStream();
        gzip.CopyTo(copy);
        Assert.Equal([new("VERSION", "1.2.3"), new("BUILD", "7")], Relais.Protocol.Reports.DotenvReport.Parse(copy.ToArray()).Variables);
    }

    [ConformanceFact]
    public async Task Cache_misses_then_hits_and_the_log_names_the_key()
    {
        JobResponse Job(string script)
        {
            var job = Payloads.Job([script], variables: [new JobVariable("GIT_STRATEGY", "empty"), new JobVariable("DEPS", "v1")]);
            job.Cache = [new JobCache { Key = "deps-$DEPS", Paths = ["vendor/**/*.txt"], Policy = "pull-push", FallbackKeys = ["deps-fallback"] }];
            return job;
        }

        var (first, firstLog) = await RunAsync(Job("mkdir -p vendor/lib && echo cached > vendor/lib/a.txt && echo other > vendor/b.bin"));
        Assert.True(first.Succeeded, firstLog);
        Assert.Contains("Checking cache for deps-v1...", firstLog, StringComparison.Ordinal);
        Assert.Contains("Checking cache for deps-fallback...", firstLog, StringComparison.Ordinal);
        Assert.Contains("WARNING: Cache miss for deps-v1", firstLog, StringComparison.Ordinal);
        Assert.Contains("Created cache deps-v1", firstLog, StringComparison.Ordinal);

        var (second, secondLog) = await RunAsync(Job("cat vendor/lib/a.txt && test ! -e vendor/b.bin"));
        Assert.True(second.Succeeded, secondLog);
        Assert.Contains("Successfully extracted cache deps-v1", secondLog, StringComparison.Ordinal);
        Assert.Contains("\ncached\n", secondLog, StringComparison.Ordinal);
    }

    [ConformanceFact]
    public async Task Cache_policy_and_when_decide_what_is_saved()
    {
        var pull = Payloads.Job(["echo x > a.txt"], variables: [new JobVariable("MODE", "pull")]);
        pull.Cache = [new JobCache { Key = "pulled", Paths = ["a.txt"], Policy = "$MODE" }];
        var (_, pullLog) = await RunAsync(pull);
        Assert.Contains("Not uploading cache pulled due to policy", pullLog, StringComparison.Ordinal);

        var failed = Payloads.Job(["echo x > a.txt", "false"]);
        failed.Cache = [new JobCache { Key = "failing", Paths = ["a.txt"], When = "on_failure" }];
        var (_, failedLog) = await RunAsync(failed);
        Assert.Contains("Saving cache for failed job", failedLog, StringComparison.Ordinal);
        Assert.Contains("Created cache failing", failedLog, StringComparison.Ordinal);
    }
}

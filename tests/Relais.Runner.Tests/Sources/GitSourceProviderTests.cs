using Relais.Protocol.Jobs;
using Relais.Runner.Tests.Support;

namespace Relais.Runner.Tests.Sources;

public sealed class GitSourceProviderTests : SourceTestsBase
{
    [Fact]
    public async Task Clones_a_local_repository_and_checks_out_the_commit_detached()
    {
        var repo = Root.Combine("repo");
        var sha = TestGit.InitRepository(repo, ("README.md", "hello from git"));

        var (outcome, log) = await RunAsync(GitJob(repo, sha, ["cat README.md; echo", "git rev-parse HEAD"], new JobVariable("GIT_STRATEGY", "clone")));

        Assert.True(outcome.Succeeded, log);
        Assert.Contains("Created fresh repository.", log, StringComparison.Ordinal);
        Assert.Contains($"Checking out {sha[..8]} as detached HEAD (ref is main)...", log, StringComparison.Ordinal);
        Assert.Contains("hello from git\n", log, StringComparison.Ordinal);
        Assert.Contains(sha + "\n", log, StringComparison.Ordinal);
        Assert.Contains("Skipping Git submodules setup", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shallow_fetches_a_file_url_with_git_depth()
    {
        var repo = Root.Combine("repo");
        TestGit.InitRepository(repo, ("a.txt", "1"));
        var sha = TestGit.Commit(repo, "second", ("a.txt", "2"));

        var (outcome, log) = await RunAsync(GitJob("file://" + repo, sha, ["echo \"commits=$(git rev-list --count HEAD)\""], new JobVariable("GIT_DEPTH", "1")));

        Assert.True(outcome.Succeeded, log);
        Assert.Contains("Fetching changes with git depth set to 1...", log, StringComparison.Ordinal);
        Assert.Contains("commits=1\n", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_reuses_the_checkout_and_cleans_what_the_last_job_left()
    {
        var repo = Root.Combine("repo");
        var first = TestGit.InitRepository(repo, ("a.txt", "1"));
        var (one, oneLog) = await RunAsync(GitJob(repo, first, ["echo junk > leftover.txt"], new JobVariable("GIT_STRATEGY", "fetch")));
        Assert.True(one.Succeeded, oneLog);
        var second = TestGit.Commit(repo, "second", ("a.txt", "2"));

        var (two, twoLog) = await RunAsync(GitJob(repo, second, ["test ! -e leftover.txt", "cat a.txt; echo"], new JobVariable("GIT_STRATEGY", "fetch")));

        Assert.True(two.Succeeded, twoLog);
        Assert.DoesNotContain("Created fresh repository.", twoLog, StringComparison.Ordinal);
        Assert.Contains("\n2\n", twoLog, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Clone_removes_read_only_directories_a_previous_job_left()
    {
        var repo = Root.Combine("repo");
        var sha = TestGit.InitRepository(repo, ("a.txt", "1"));
        var (one, oneLog) = await RunAsync(GitJob(repo, sha, ["mkdir -p cache/mod && touch cache/mod/f && chmod -R a-w cache"]));
        Assert.True(one.Succeeded, oneLog);

        var (two, twoLog) = await RunAsync(GitJob(repo, sha, ["test ! -e cache"], new JobVariable("GIT_STRATEGY", "clone")));

        Assert.True(two.Succeeded, twoLog);
    }

    [Fact]
    public async Task Git_checkout_false_fetches_without_checking_out()
    {
        var repo = Root.Combine("repo");
        var sha = TestGit.InitRepository(repo, ("a.txt", "1"));

        var (outcome, log) = await RunAsync(GitJob(repo, sha, ["test ! -e a.txt", "test -d .git"], new JobVariable("GIT_CHECKOUT", "false")));

        Assert.True(outcome.Succeeded, log);
        Assert.Contains("Skipping Git checkout", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submodules_follow_git_submodule_strategy()
    {
        var inner = Root.Combine("inner");
        TestGit.InitRepository(inner, ("inner.txt", "from the submodule"));
        var outer = Root.Combine("outer");
        TestGit.InitRepository(outer, ("outer.txt", "outer"));
        TestGit.Run(outer, "-c", "protocol.file.allow=always", "submodule", "add", "-q", inner, "lib/inner");
        var sha = TestGit.Commit(outer, "add submodule");

        var (normal, normalLog) = await RunAsync(GitJob(outer, sha, ["cat lib/inner/inner.txt; echo"], new JobVariable("GIT_SUBMODULE_STRATEGY", "recursive")));
        Assert.True(normal.Succeeded, normalLog);
        Assert.Contains("Updating/initializing submodules recursively...", normalLog, StringComparison.Ordinal);
        Assert.Contains("from the submodule\n", normalLog, StringComparison.Ordinal);

        var (none, noneLog) = await RunAsync(GitJob(outer, sha, ["test ! -e lib/inner/inner.txt"], new JobVariable("GIT_STRATEGY", "clone")));
        Assert.True(none.Succeeded, noneLog);
    }

    [Fact]
    public async Task Untracked_artifacts_include_ignored_files_but_not_tracked_ones()
    {
        var repo = Root.Combine("repo");
        var sha = TestGit.InitRepository(repo, (".gitignore", "*.log\n"), ("tracked.txt", "t"));
        var job = GitJob(repo, sha, ["echo a > build.log", "echo b > new.txt"]);
        job.Artifacts = [new JobArtifact { Name = "untracked", Untracked = true }];

        var (outcome, log) = await RunAsync(job);

        Assert.True(outcome.Succeeded, log);
        using var zip = System.IO.Compression.ZipFile.OpenRead(Artifacts.Find(job.Id, "archive")!);
        Assert.Equal(["build.log", "new.txt"], zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_bad_sha_fails_get_sources_and_skips_the_script()
    {
        var repo = Root.Combine("repo");
        TestGit.InitRepository(repo, ("a.txt", "1"));

        var (outcome, log) = await RunAsync(GitJob(repo, new string('1', 40), ["echo should-not-run"]));

        Assert.False(outcome.Succeeded);
        Assert.DoesNotContain("should-not-run\n", log, StringComparison.Ordinal);
        Assert.Contains("ERROR: Job failed: git -c advice.detachedHead=false checkout", log, StringComparison.Ordinal);
    }
}

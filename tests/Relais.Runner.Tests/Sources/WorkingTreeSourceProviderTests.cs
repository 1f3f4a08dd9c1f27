using Relais.Protocol.Jobs;
using Relais.Runner.Jobs;
using Relais.Runner.Sources;
using Relais.Runner.Tests.Support;

namespace Relais.Runner.Tests.Sources;

public sealed class WorkingTreeSourceProviderTests : SourceTestsBase
{
    [Fact]
    public async Task Copies_the_working_tree_with_uncommitted_changes_and_without_ignored_files()
    {
        var tree = Root.Combine("tree");
        TestGit.InitRepository(tree, (".gitignore", "*.tmp\n"), ("committed.txt", "old"), ("deleted.txt", "gone soon"));
        File.WriteAllText(Path.Combine(tree, "committed.txt"), "edited, not committed");
        File.WriteAllText(Path.Combine(tree, "new.txt"), "untracked");
        File.WriteAllText(Path.Combine(tree, "junk.tmp"), "ignored");
        File.Delete(Path.Combine(tree, "deleted.txt"));
        var job = Payloads.Job(["cat committed.txt new.txt; echo", "test ! -e junk.tmp", "test ! -e deleted.txt", "test ! -e .git"], variables: [new JobVariable("GIT_STRATEGY", "fetch")]);

        var (outcome, log) = await RunAsync(job, new JobRunOptions { Sources = new WorkingTreeSourceProvider(tree) });

        Assert.True(outcome.Succeeded, log);
        Assert.Contains("Copying the working tree of", log, StringComparison.Ordinal);
        Assert.Contains("edited, not committeduntracked\n", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reused_directory_is_synced_unchanged_files_skipped_and_leftovers_removed()
    {
        var tree = Root.Combine("tree");
        Directory.CreateDirectory(tree);
        File.WriteAllText(Path.Combine(tree, "a.txt"), "a");
        File.WriteAllText(Path.Combine(tree, "b.txt"), "b");
        var sources = new WorkingTreeSourceProvider(tree);
        var options = new JobRunOptions { Sources = sources };
        var first = Payloads.Job(["echo x > made-by-job.txt"], variables: [new JobVariable("GIT_STRATEGY", "fetch")]);
        Assert.True((await RunAsync(first, options)).Outcome.Succeeded);

        var (outcome, log) = await RunAsync(Payloads.Job(["test ! -e made-by-job.txt", "cat a.txt b.txt; echo"], variables: [new JobVariable("GIT_STRATEGY", "fetch")]), options);

        Assert.True(outcome.Succeeded, log);
        Assert.Contains("0 files copied, 2 unchanged, 1 removed", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Untracked_means_what_the_job_created()
    {
        var tree = Root.Combine("tree");
        Directory.CreateDirectory(tree);
        File.WriteAllText(Path.Combine(tree, "source.c"), "int main;");
        var job = Payloads.Job(["mkdir -p bin && echo elf > bin/app"], variables: [new JobVariable("GIT_STRATEGY", "fetch")]);
        job.Artifacts = [new JobArtifact { Name = "out", Untracked = true }];

        var (outcome, log) = await RunAsync(job, new JobRunOptions { Sources = new WorkingTreeSourceProvider(tree) });

        Assert.True(outcome.Succeeded, log);
        using var zip = System.IO.Compression.ZipFile.OpenRead(Artifacts.Find(job.Id, "archive")!);
        Assert.Equal(["bin/app"], zip.Entries.Select(e => e.FullName));
    }
}

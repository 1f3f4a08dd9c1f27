namespace Relais.Git.Tests;

public sealed class GitRepositoryTests
{
    [Fact]
    public async Task Resolves_revisions_and_reads_commits()
    {
        using var repo = await TempRepository.InitAsync();
        var first = await repo.CommitAsync("first", ("a.txt", "1"));
        var second = await repo.CommitAsync("second line\n\nbody", ("a.txt", "2"));
        await repo.MustAsync("tag", "-a", "v1", "-m", "release");

        var commit = await repo.Git.ReadCommitAsync(second, CancellationToken.None);
        var root = await repo.Git.ReadCommitAsync(first, CancellationToken.None);

        Assert.Equal(second, await repo.Git.ResolveCommitAsync("refs/tags/v1", CancellationToken.None));
        Assert.NotEqual(second, await repo.Git.ResolveAsync("refs/tags/v1", CancellationToken.None)); // the tag object itself
        Assert.Null(await repo.Git.ResolveCommitAsync("refs/heads/nope", CancellationToken.None));
        Assert.Null(await repo.Git.ResolveAsync("--help", CancellationToken.None));
        Assert.Equal(second, commit.Sha);
        Assert.Equal(first, commit.ParentSha);
        Assert.Equal("Ada <ada@example.com>", commit.Author);
        Assert.Equal("second line\n\nbody", commit.Message);
        Assert.NotNull(commit.AuthoredAt);
        Assert.NotNull(commit.CommittedAt);
        Assert.Null(root.ParentSha);
        Assert.Null(await repo.Git.ReadCommitAsync("nope", CancellationToken.None));
    }

    [Fact]
    public async Task Lists_changed_files_between_commits_and_against_the_working_tree()
    {
        using var repo = await TempRepository.InitAsync();
        var first = await repo.CommitAsync("first", ("a.txt", "1"), ("old.txt", "same content here"));
        await repo.MustAsync("mv", "old.txt", "new.txt");
        var second = await repo.CommitAsync("second", ("b/c.txt", "2"));
        repo.Write("a.txt", "changed, not committed");

        var between = await repo.Git.ChangedFilesAsync(first, second, CancellationToken.None);
        var toWorkingTree = await repo.Git.ChangedFilesAsync(second, null, CancellationToken.None);

        Assert.Equal(["b/c.txt", "new.txt", "old.txt"], between!.Order(StringComparer.Ordinal));
        Assert.Equal(["a.txt"], toWorkingTree);
        Assert.Null(await repo.Git.ChangedFilesAsync(new string('1', 40), second, CancellationToken.None));
    }

    [Fact]
    public async Task Lists_a_tree_and_the_working_tree_files()
    {
        using var repo = await TempRepository.InitAsync();
        var sha = await repo.CommitAsync("first", ("a.txt", "1"), ("dir/b.yml", "2"), (".gitignore", "*.log\n"));
        repo.Write("new.txt", "untracked");
        repo.Write("debug.log", "ignored");

        Assert.Equal([".gitignore", "a.txt", "dir/b.yml"], await repo.Git.ListTreeAsync(sha, CancellationToken.None));
        Assert.Empty(await repo.Git.ListTreeAsync("nope", CancellationToken.None));
        Assert.Equal([".gitignore", "a.txt", "dir/b.yml", "new.txt"], (await repo.Git.ListFilesAsync(WorkingTreeFiles.Tracked | WorkingTreeFiles.Untracked, CancellationToken.None))!.Order(StringComparer.Ordinal));
        Assert.Equal(["new.txt"], await repo.Git.ListFilesAsync(WorkingTreeFiles.Untracked, CancellationToken.None));
        Assert.Equal(["debug.log", "new.txt"], (await repo.Git.ListFilesAsync(WorkingTreeFiles.Untracked | WorkingTreeFiles.Ignored, CancellationToken.None))!.Order(StringComparer.Ordinal));
        Assert.Null(await GitRepository.At(Path.GetTempPath()).ListFilesAsync(WorkingTreeFiles.Tracked, CancellationToken.None));
    }

    [Fact]
    public async Task Reads_the_checkout_and_its_default_branch()
    {
        using var repo = await TempRepository.InitAsync("feature");
        Directory.CreateDirectory(Path.Combine(repo.Path, "sub"));

        var empty = await GitRepository.At(Path.Combine(repo.Path, "sub")).ReadCheckoutAsync(CancellationToken.None);
        await repo.CommitAsync("first");
        var onBranch = await GitRepository.At(Path.Combine(repo.Path, "sub")).ReadCheckoutAsync(CancellationToken.None);
        var noMain = await repo.Git.DefaultBranchAsync("feature", CancellationToken.None);
        await repo.MustAsync("branch", "master");
        var master = await repo.Git.DefaultBranchAsync("feature", CancellationToken.None);
        await repo.MustAsync("checkout", "-q", "--detach");
        var detached = await repo.Git.ReadCheckoutAsync(CancellationToken.None);

        Assert.Equal(new Checkout(repo.Path, null), empty);
        Assert.Equal(new Checkout(repo.Path, "feature"), onBranch);
        Assert.Equal("feature", noMain);
        Assert.Equal("master", master);
        Assert.Equal(new Checkout(repo.Path, null), detached);
        Assert.Null(await GitRepository.At(Path.GetTempPath()).ReadCheckoutAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_bare_repository_is_queried_through_its_git_directory()
    {
        using var repo = await TempRepository.InitAsync();
        var sha = await repo.CommitAsync("first", ("a.txt", "1"));
        using var bare = new TempRepository();
        await bare.MustAsync("clone", "-q", "--bare", repo.Path, ".");

        var git = GitRepository.Bare(bare.Path);

        Assert.Equal(sha, await git.ResolveCommitAsync("refs/heads/main", CancellationToken.None));
        Assert.Equal(["a.txt"], await git.ListTreeAsync(sha, CancellationToken.None));
    }
}

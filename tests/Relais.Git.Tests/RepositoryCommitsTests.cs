using System.Text;

namespace Relais.Git.Tests;

/// <summary>Commits made with git's plumbing in a real bare repository: actions in order, GitLab's refusals, no lost push.</summary>
public sealed class RepositoryCommitsTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "relais-commits-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly GitRepository _git;

    public RepositoryCommitsTests()
    {
        Directory.CreateDirectory(_dir);
        using (var init = System.Diagnostics.Process.Start("git", ["init", "--bare", "-q", "-b", "main", _dir]))
        {
            init.WaitForExit();
        }

        _git = GitRepository.Bare(_dir);
    }

    [Fact]
    public async Task The_first_commit_of_an_empty_repository_creates_the_branch_with_the_files_modes_and_identities()
    {
        var result = await _git.CommitAsync(Plan("main", null, null, [Create("run.sh", "#!/bin/sh\n", executable: true), Create("docs/a b.md", "Ä\n")]), CancellationToken.None);

        Assert.True(result.Succeeded, result.Message);
        Assert.Equal(result.Sha, await _git.ResolveAsync("refs/heads/main", CancellationToken.None));
        var tree = await TreeAsync("main");
        Assert.Equal("100755", tree["run.sh"].Mode);
        Assert.Equal("100644", tree["docs/a b.md"].Mode);
        Assert.Equal("Ä\n", Encoding.UTF8.GetString((await _git.ReadBlobAsync(tree["docs/a b.md"].Sha, CancellationToken.None))!));
        var info = (await _git.RunAsync(["log", "-1", "--format=%an <%ae>|%cn <%ce>|%s", "main"], CancellationToken.None)).FirstLine;
        Assert.Equal("Ada <ada@example.com>|relais <relais@example.com>|Add files", info);
    }

    [Fact]
    public async Task Update_move_delete_and_chmod_apply_in_order_on_the_branch_tip()
    {
        var first = (await _git.CommitAsync(Plan("main", null, null, [Create("a.txt", "a\n"), Create("b.txt", "b\n"), Create("tool", "t\n")]), CancellationToken.None)).Sha!;
        var actions = new List<FileAction>
        {
            new(FileActionKind.Update, "a.txt") { Content = "A\n"u8.ToArray(), LastCommitId = first },
            new(FileActionKind.Move, "moved/b.txt") { PreviousPath = "b.txt" },
            new(FileActionKind.Chmod, "tool") { ExecuteFilemode = true },
            new(FileActionKind.Create, "new.txt") { Content = [] },
            new(FileActionKind.Delete, "new.txt"),
        };
        var result = await _git.CommitAsync(Plan("main", first, first, actions), CancellationToken.None);

        Assert.True(result.Succeeded, result.Message);
        var tree = await TreeAsync("main");
        Assert.Equal(["a.txt", "moved/b.txt", "tool"], tree.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("A\n", Encoding.UTF8.GetString((await _git.ReadBlobAsync(tree["a.txt"].Sha, CancellationToken.None))!));
        Assert.Equal("100755", tree["tool"].Mode);
        Assert.Equal([first], (await _git.ReadCommitsAsync([result.Sha!], CancellationToken.None))[0].ParentShas);
    }

    [Fact]
    public async Task Actions_that_do_not_fit_the_tree_are_refused_with_GitLab_messages_and_nothing_moves()
    {
        var first = (await _git.CommitAsync(Plan("main", null, null, [Create("a.txt", "a\n"), Create("dir/b.txt", "b\n")]), CancellationToken.None)).Sha!;
        var second = (await _git.CommitAsync(Plan("main", first, first, [new(FileActionKind.Update, "a.txt") { Content = "2\n"u8.ToArray() }]), CancellationToken.None)).Sha!;
        (FileAction Action, string Message)[] cases =
        [
            (Create("a.txt", "x"), "A file with this name already exists"),
            (Create("a.txt/c.txt", "x"), "A file with this name already exists"),
            (Create("dir", "x"), "A directory with this name already exists"),
            (new(FileActionKind.Update, "missing.txt") { Content = [] }, "A file with this name doesn't exist"),
            (new(FileActionKind.Delete, "missing.txt"), "A file with this name doesn't exist"),
            (new(FileActionKind.Move, "a.txt") { PreviousPath = "dir/b.txt" }, "A file with this name already exists"),
            (new(FileActionKind.Update, "a.txt") { Content = [], LastCommitId = first }, "The file has changed since you started editing it: a.txt"),
        ];
        foreach (var path in new[] { ".git/config", ".Git/hooks/post-update", "sub/.git", "GIT~1/config" })
        {
            cases = [.. cases, (Create(path, "x"), "Invalid path: git does not allow one of the paths in a tree (such as .git)")];
        }

        foreach (var (action, message) in cases)
        {
            var result = await _git.CommitAsync(Plan("main", second, second, [action]), CancellationToken.None);
            Assert.Equal(CommitFailure.Rejected, result.Failure);
            Assert.Equal(message, result.Message);
        }

        Assert.Equal(second, await _git.ResolveAsync("refs/heads/main", CancellationToken.None));
    }

    [Fact]
    public async Task A_push_that_moved_the_branch_meanwhile_is_never_overwritten()
    {
        var first = (await _git.CommitAsync(Plan("main", null, null, [Create("a.txt", "a\n")]), CancellationToken.None)).Sha!;
        var pushed = (await _git.CommitAsync(Plan("main", first, first, [Create("pushed.txt", "p\n")]), CancellationToken.None)).Sha!;

        // A commit planned when main was at `first` must not replace the push that moved it to `pushed`.
        var late = await _git.CommitAsync(Plan("main", first, first, [Create("late.txt", "l\n")]), CancellationToken.None);

        Assert.Equal(CommitFailure.Conflict, late.Failure);
        Assert.Equal("Could not update branch main. Please refresh and try again.", late.Message);
        Assert.Equal(pushed, await _git.ResolveAsync("refs/heads/main", CancellationToken.None));

        // And a new branch is only created when it does not exist yet.
        var clash = await _git.CommitAsync(Plan("main", first, null, [Create("x.txt", "x")]), CancellationToken.None);
        Assert.Equal(CommitFailure.Conflict, clash.Failure);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static FileAction Create(string path, string text, bool executable = false) =>
        new(FileActionKind.Create, path) { Content = Encoding.UTF8.GetBytes(text), ExecuteFilemode = executable ? true : null };

    private static CommitPlan Plan(string branch, string? start, string? tip, IReadOnlyList<FileAction> actions) => new(branch, start, tip, actions, "Add files\n")
    {
        Author = new CommitIdentity("Ada", "ada@example.com"),
        Committer = new CommitIdentity("relais", "relais@example.com"),
    };

    private async Task<Dictionary<string, (string Mode, string Sha)>> TreeAsync(string revision)
    {
        var result = await _git.RunAsync(["ls-tree", "-r", "-z", revision], CancellationToken.None);
        return result.NulSeparated.ToDictionary(
            line => line[(line.IndexOf('\t', StringComparison.Ordinal) + 1)..],
            line => (line.Split(' ')[0], line.Split(' ')[2].Split('\t')[0]));
    }
}

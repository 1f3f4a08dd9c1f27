namespace Relais.Git;

/// <summary>
/// A git repository and the queries Relais asks of it (refs, commits, changed files, file lists). A bare repository
/// (<see cref="Bare"/>, the server's) runs git with <c>GIT_DIR</c> set; a checkout (<see cref="At"/>, the CLI's and
/// the runner's) runs git in the directory. Queries answer "no" as a value (null or an empty list), never by
/// throwing; cancelling one kills its git. Thread-safe: it holds no state.
/// </summary>
public sealed class GitRepository
{
    private readonly string? _gitDir;

    private GitRepository(string directory, string? gitDir)
    {
        Directory = directory;
        _gitDir = gitDir;
    }

    /// <summary>Where git runs: the bare repository's directory or the checkout.</summary>
    public string Directory { get; }

    /// <summary>The bare repository at <paramref name="gitDir"/>.</summary>
    public static GitRepository Bare(string gitDir) => new(gitDir, gitDir);

    /// <summary>The checkout at (or containing) <paramref name="directory"/>.</summary>
    public static GitRepository At(string directory) => new(directory, null);

    /// <summary>How to start git with <paramref name="arguments"/> in this repository.</summary>
    public GitStart Command(params IReadOnlyList<string> arguments) => new(Directory, arguments) { GitDir = _gitDir };

    /// <summary>Runs git with <paramref name="arguments"/> here and captures its output.</summary>
    public Task<GitResult> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        GitProcess.RunAsync(Command(arguments), cancellationToken);

    /// <summary>Starts one <c>cat-file --batch</c> process to read many files; dispose it after.</summary>
    public CatFileBatch OpenBlobs() => CatFileBatch.Open(this);

    /// <summary>The object id <paramref name="revision"/> names now, or null when it names nothing.</summary>
    public async Task<string?> ResolveAsync(string revision, CancellationToken cancellationToken) =>
        (await RunAsync(["rev-parse", "--verify", "--quiet", "--end-of-options", revision], cancellationToken)).FirstLine;

    /// <summary>The commit <paramref name="revision"/> names (a tag is peeled to its commit), or null.</summary>
    public Task<string?> ResolveCommitAsync(string revision, CancellationToken cancellationToken) =>
        ResolveAsync(revision + "^{commit}", cancellationToken);

    /// <summary>The commit <paramref name="revision"/> names, described; null when there is none.</summary>
    public async Task<CommitInfo?> ReadCommitAsync(string revision, CancellationToken cancellationToken)
    {
        var result = await RunAsync(["log", "-1", CommitInfo.Format, "--end-of-options", revision], cancellationToken);
        return result.Succeeded ? CommitInfo.Parse(result.Text) : null;
    }

    /// <summary>
    /// The paths that differ between <paramref name="before"/> and <paramref name="after"/> (null: the working tree),
    /// a rename counting as both of its paths; null when git cannot tell (an unknown commit).
    /// </summary>
    public async Task<IReadOnlyList<string>?> ChangedFilesAsync(string before, string? after, CancellationToken cancellationToken)
    {
        List<string> arguments = ["diff", "--name-only", "-z", "--no-renames", "--end-of-options", before];
        if (after is not null)
        {
            arguments.Add(after);
        }

        var result = await RunAsync([.. arguments, "--"], cancellationToken);
        return result.Succeeded ? result.NulSeparated : null;
    }

    /// <summary>Every file path in <paramref name="revision"/>'s tree; empty when there is no such revision.</summary>
    public async Task<IReadOnlyList<string>> ListTreeAsync(string revision, CancellationToken cancellationToken)
    {
        var result = await RunAsync(["ls-tree", "-r", "-z", "--name-only", "--end-of-options", revision], cancellationToken);
        return result.Succeeded ? result.NulSeparated : [];
    }

    /// <summary>The checkout's files that <paramref name="set"/> selects (<c>git ls-files</c>); null when git fails (not a checkout).</summary>
    public async Task<IReadOnlyList<string>?> ListFilesAsync(WorkingTreeFiles set, CancellationToken cancellationToken)
    {
        List<string> arguments = ["ls-files", "-z"];
        if (set.HasFlag(WorkingTreeFiles.Tracked))
        {
            arguments.Add("--cached");
        }

        if (set.HasFlag(WorkingTreeFiles.Untracked))
        {
            arguments.Add("--others");
        }

        if (set.HasFlag(WorkingTreeFiles.Untracked) && !set.HasFlag(WorkingTreeFiles.Ignored))
        {
            arguments.Add("--exclude-standard");
        }

        var result = await RunAsync(arguments, cancellationToken);
        return result.Succeeded ? result.NulSeparated : null;
    }

    /// <summary>The checkout's top directory and current branch (null when HEAD is detached); null outside a checkout.</summary>
    public async Task<Checkout?> ReadCheckoutAsync(CancellationToken cancellationToken)
    {
        // One call for both; a repository without commits has no HEAD yet, so then ask for the top alone.
        var both = await RunAsync(["rev-parse", "--show-toplevel", "--abbrev-ref", "HEAD"], cancellationToken);
        if (both.Succeeded && both.Lines is [var top, var branch, ..])
        {
            return new Checkout(top, branch == "HEAD" ? null : branch);
        }

        return (await RunAsync(["rev-parse", "--show-toplevel"], cancellationToken)).FirstLine is { } only ? new Checkout(only, null) : null;
    }

    /// <summary>
    /// The default branch: origin's HEAD when it is known; else <c>main</c> or <c>master</c> when one exists (or is
    /// <paramref name="current"/>); else <paramref name="current"/>.
    /// </summary>
    public async Task<string?> DefaultBranchAsync(string? current, CancellationToken cancellationToken)
    {
        const string origin = "refs/remotes/origin/HEAD ";
        var refs = (await RunAsync(["for-each-ref", "--format=%(refname) %(symref)", "refs/remotes/origin/HEAD", "refs/heads/main", "refs/heads/master"], cancellationToken)).Lines;
        var originHead = refs.FirstOrDefault(r => r.StartsWith(origin, StringComparison.Ordinal))?[origin.Length..];
        if (originHead is { Length: > 0 } && originHead.StartsWith("refs/remotes/origin/", StringComparison.Ordinal))
        {
            return originHead["refs/remotes/origin/".Length..];
        }

        foreach (var candidate in new[] { "main", "master" })
        {
            if (candidate == current || refs.Contains("refs/heads/" + candidate))
            {
                return candidate;
            }
        }

        return current;
    }
}

/// <summary>A checkout's top directory and its current branch (null when HEAD is detached).</summary>
public sealed record Checkout(string TopLevel, string? Branch);

/// <summary>Which files of a checkout <see cref="GitRepository.ListFilesAsync"/> lists.</summary>
[Flags]
public enum WorkingTreeFiles
{
    /// <summary>Files git tracks.</summary>
    Tracked = 1,

    /// <summary>Files git does not track, except ignored ones (unless <see cref="Ignored"/>).</summary>
    Untracked = 2,

    /// <summary>With <see cref="Untracked"/>: ignored files too.</summary>
    Ignored = 4,
}

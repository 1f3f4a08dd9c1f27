namespace Relais.TestSupport;

/// <summary>
/// The shared corpus (GitLab's schema tests, eight real projects' CI files, runner payload cases) lives
/// in <c>../shared/corpus</c> beside the repository and is never copied into it. Tests that read it skip,
/// with this reason, when it is absent.
/// </summary>
public static class SharedCorpus
{
    public const string MissingReason = "the shared corpus (../shared/corpus next to the repository) is not present";

    /// <summary><c>…/shared/corpus</c>, or null when it is not there.</summary>
    public static string? Root { get; } = Find();

    /// <summary>A path inside the corpus, or null when the corpus is absent.</summary>
    public static string? PathOf(string relative) => Root is null ? null : Path.Combine(Root, relative);

    /// <summary>
    /// <c>../shared/corpus</c> from the repository root (the directory holding Relais.sln). In a git
    /// worktree, the main checkout's root is tried too, since the worktree may live elsewhere.
    /// </summary>
    private static string? Find()
    {
        var repository = new DirectoryInfo(AppContext.BaseDirectory);
        while (repository is not null && !File.Exists(Path.Combine(repository.FullName, "Relais.sln")))
        {
            repository = repository.Parent;
        }

        if (repository is null)
        {
            return null;
        }

        var roots = new List<string> { repository.FullName };
        if (MainCheckout(repository.FullName) is { } main)
        {
            roots.Add(main);
        }

        return roots
            .Select(root => Path.GetFullPath(Path.Combine(root, "..", "shared", "corpus")))
            .FirstOrDefault(Directory.Exists);
    }

    /// <summary>The main working tree of a linked worktree, whose <c>.git</c> is a file naming its git directory.</summary>
    private static string? MainCheckout(string repository)
    {
        var dotGit = Path.Combine(repository, ".git");
        if (!File.Exists(dotGit))
        {
            return null;
        }

        var line = File.ReadAllText(dotGit).Trim();
        const string prefix = "gitdir:";
        if (!line.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var gitDir = Path.GetFullPath(Path.Combine(repository, line[prefix.Length..].Trim()));
        var commonDirFile = Path.Combine(gitDir, "commondir");
        var commonDir = File.Exists(commonDirFile)
            ? Path.GetFullPath(Path.Combine(gitDir, File.ReadAllText(commonDirFile).Trim()))
            : gitDir;
        return Directory.GetParent(commonDir)?.FullName;
    }
}

/// <summary>A theory that is skipped, with the reason, when the shared corpus is absent.</summary>
public sealed class CorpusTheoryAttribute : TheoryAttribute
{
    public CorpusTheoryAttribute()
    {
        if (SharedCorpus.Root is null)
        {
            Skip = SharedCorpus.MissingReason;
        }
    }
}

/// <summary>A fact that is skipped, with the reason, when the shared corpus is absent.</summary>
public sealed class CorpusFactAttribute : FactAttribute
{
    public CorpusFactAttribute()
    {
        if (SharedCorpus.Root is null)
        {
            Skip = SharedCorpus.MissingReason;
        }
    }
}

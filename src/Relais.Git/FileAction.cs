namespace Relais.Git;

/// <summary>What one action of a commit does to a file (GitLab's <c>actions[].action</c>).</summary>
public enum FileActionKind
{
    /// <summary>Adds a file that must not exist.</summary>
    Create,

    /// <summary>Removes a file that must exist.</summary>
    Delete,

    /// <summary>Renames <see cref="FileAction.PreviousPath"/> to <see cref="FileAction.Path"/>, with new content when given.</summary>
    Move,

    /// <summary>Replaces the content of a file that must exist.</summary>
    Update,

    /// <summary>Sets or clears the executable bit of a file that must exist.</summary>
    Chmod,
}

/// <summary>
/// One change of a commit made without a checkout (<see cref="RepositoryCommits"/>). Paths are literal, relative to
/// the repository's top, already checked by the caller. <see cref="Content"/> null: no new content (a move keeps the
/// old one). <see cref="ExecuteFilemode"/> null: the mode stays. <see cref="LastCommitId"/>, when given, must be the
/// last commit that changed the file (or the previous path of a move) at the start commit.
/// </summary>
public sealed record FileAction(FileActionKind Kind, string Path)
{
    public string? PreviousPath { get; init; }

    public byte[]? Content { get; init; }

    public bool? ExecuteFilemode { get; init; }

    public string? LastCommitId { get; init; }
}

/// <summary>
/// A commit to make: the <see cref="Actions"/> applied in order to <see cref="StartCommit"/>'s tree (null: an empty
/// tree, the first commit of a branch), written as a child of it, and <see cref="Branch"/> moved to it from
/// <see cref="ExpectedTip"/> (null: the branch must not exist yet). The move is a compare-and-swap, so a push that
/// moved the branch in between is never overwritten.
/// </summary>
public sealed record CommitPlan(string Branch, string? StartCommit, string? ExpectedTip, IReadOnlyList<FileAction> Actions, string Message)
{
    public required CommitIdentity Author { get; init; }

    public required CommitIdentity Committer { get; init; }
}

/// <summary>A name and email address for a commit's author or committer.</summary>
public sealed record CommitIdentity(string Name, string Email);

/// <summary>Why a commit was not made: <see cref="Rejected"/> (the actions do not fit the tree: say why) or <see cref="Conflict"/> (the branch moved).</summary>
public enum CommitFailure
{
    None,
    Rejected,
    Conflict,
}

/// <summary>The commit made (its sha), or why not: the failure and GitLab's message for it.</summary>
public sealed record CommitResult(string? Sha, CommitFailure Failure, string Message)
{
    public bool Succeeded => Sha is not null;

    public static CommitResult Rejected(string message) => new(null, CommitFailure.Rejected, message);
}

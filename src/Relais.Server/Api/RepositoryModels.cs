namespace Relais.Server.Api;

/// <summary>A commit as GitLab's repository API shows it.</summary>
public record CommitView(
    string Id,
    string ShortId,
    string? CreatedAt,
    IReadOnlyList<string> ParentIds,
    string Title,
    string Message,
    string AuthorName,
    string AuthorEmail,
    string? AuthoredDate,
    string CommitterName,
    string CommitterEmail,
    string? CommittedDate,
    IReadOnlyDictionary<string, string> Trailers,
    string WebUrl);

/// <summary>A branch as GitLab's branches API shows it.</summary>
public sealed record BranchView(
    string Name,
    CommitView? Commit,
    bool Merged,
    bool Protected,
    bool DevelopersCanPush,
    bool DevelopersCanMerge,
    bool CanPush,
    bool Default,
    string WebUrl);

/// <summary>A tag as GitLab's tags API shows it (releases are not kept here: always null).</summary>
public sealed record TagView(
    string Name,
    string? Message,
    string Target,
    CommitView? Commit,
    object? Release,
    bool Protected,
    string? CreatedAt);

/// <summary>A commit's line counts (GitLab's <c>stats</c>).</summary>
public sealed record CommitStatsView(int Additions, int Deletions, int Total);

/// <summary>One commit with its stats, as <c>GET /repository/commits/:sha</c> shows it: the commit's fields and these.</summary>
public sealed record CommitDetailView : CommitView
{
    public CommitDetailView(CommitView commit, CommitStatsView stats, string? status, long projectId, object? lastPipeline)
        : base(commit)
    {
        Stats = stats;
        Status = status;
        ProjectId = projectId;
        LastPipeline = lastPipeline;
    }

    public CommitStatsView Stats { get; }

    public string? Status { get; }

    public long ProjectId { get; }

    public object? LastPipeline { get; }
}

/// <summary>One file's change, as GitLab's commit diff and compare show it.</summary>
public sealed record DiffView(
    string Diff,
    string NewPath,
    string OldPath,
    string? AMode,
    string? BMode,
    bool NewFile,
    bool RenamedFile,
    bool DeletedFile,
    bool TooLarge);

/// <summary>One entry of <c>GET /repository/tree</c>.</summary>
public sealed record TreeEntryView(string Id, string Name, string Type, string Path, string Mode);

/// <summary>A file at a ref, as <c>GET /repository/files/:file_path</c> shows it (content in base64).</summary>
public sealed record FileView(
    string FileName,
    string FilePath,
    long Size,
    string Encoding,
    string ContentSha256,
    string Ref,
    string BlobId,
    string CommitId,
    string? LastCommitId,
    bool ExecuteFilemode,
    string Content);

/// <summary>What <c>GET /repository/compare</c> answers: the commits from one ref to the other (oldest first) and the diffs.</summary>
public sealed record CompareView(
    CommitView? Commit,
    IReadOnlyList<CommitView> Commits,
    IReadOnlyList<DiffView> Diffs,
    bool CompareTimeout,
    bool CompareSameRef,
    string WebUrl);

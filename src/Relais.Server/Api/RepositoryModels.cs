namespace Relais.Server.Api;

/// <summary>A commit as GitLab's repository API shows it.</summary>
public sealed record CommitView(
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

namespace Relais.Git;

/// <summary>One branch or tag of a repository, as <see cref="RepositoryRefs.ListAsync"/> reads it.</summary>
/// <param name="Name">The short name (without <c>refs/heads/</c> or <c>refs/tags/</c>).</param>
/// <param name="ObjectId">What the ref points at: a commit, or an annotated tag's tag object.</param>
/// <param name="CommitSha">The commit it names once peeled (an annotated tag's target); null when it names no commit.</param>
/// <param name="TagMessage">An annotated tag's message; null for anything else.</param>
/// <param name="TaggedAt">An annotated tag's date; null for anything else.</param>
public sealed record GitRef(string Name, string ObjectId, string? CommitSha, string? TagMessage, DateTimeOffset? TaggedAt);

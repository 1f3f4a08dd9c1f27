using Relais.GitOps.Config;

namespace Relais.GitOps.Updates;

/// <summary>
/// Runs an <c>ImageUpdateAutomation</c>: checks out its source's branch, updates the files under <c>update.path</c>
/// (setter markers with the policies' latest images, and Flux v1's annotated workloads), and when anything changed
/// commits once with the template's message and pushes; a concurrent push is rebased over, never force-pushed.
/// </summary>
public interface IImageUpdater
{
    /// <param name="automation">The automation.</param>
    /// <param name="source">The <c>GitRepository</c> its <c>sourceRef</c> names.</param>
    /// <param name="latest">Each <c>ImagePolicy</c>'s latest image by <c>namespace:name</c> (the key setter markers use); a policy without one is absent.</param>
    Task<UpdateResult> UpdateAsync(ImageUpdateAutomation automation, GitRepository source, IReadOnlyDictionary<string, PolicyImage> latest, CancellationToken cancellationToken);
}

/// <summary>What an update run did.</summary>
/// <param name="Commit">The commit pushed, or null when nothing changed.</param>
/// <param name="Branch">The branch it was pushed to.</param>
/// <param name="Changes">Every value changed, by file (relative to the repository's root).</param>
/// <param name="Message">The commit message.</param>
public sealed record UpdateResult(string? Commit, string? Branch, IReadOnlyList<FileChange> Changes, string? Message)
{
    public static UpdateResult None { get; } = new(null, null, [], null);
}

/// <summary>The changes made in one file.</summary>
public sealed record FileChange(string File, IReadOnlyList<SetterChange> Changes);

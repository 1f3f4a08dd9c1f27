using Relais.Server.Storage;

namespace Relais.Server.Pipelines;

/// <summary>
/// Whether a ref is protected: a branch whose name equals a protected branch entry or matches its wildcard pattern
/// (<c>*</c> matches any run of characters, slashes included, as in GitLab), or a tag that does the same with a
/// protected tag entry. Pipelines of protected refs receive the project's protected variables.
/// </summary>
public static class ProtectedRefs
{
    public static bool IsProtected(IEnumerable<ProtectedBranchRecord> branches, IEnumerable<ProtectedTagRecord> tags, string gitRef, bool isTag)
    {
        ArgumentNullException.ThrowIfNull(branches);
        ArgumentNullException.ThrowIfNull(tags);
        return isTag ? tags.Any(t => Matches(t.Name, gitRef)) : branches.Any(b => Matches(b.Name, gitRef));
    }

    /// <summary>Whether <paramref name="gitRef"/> (a branch, or a tag when <paramref name="isTag"/>) is protected in <paramref name="project"/>.</summary>
    public static async Task<bool> IsProtectedAsync(IProjectStore store, ProjectRecord project, string gitRef, bool isTag, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(project);
        return isTag
            ? (await store.ListProtectedTagsAsync(project.Id, cancel)).Any(t => Matches(t.Name, gitRef))
            : (await store.ListProtectedBranchesAsync(project.Id, cancel)).Any(b => Matches(b.Name, gitRef));
    }

    /// <summary>Matches a branch or tag name against a protected ref's name or pattern.</summary>
    public static bool Matches(string pattern, string branch)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(branch);
        if (!pattern.Contains('*', StringComparison.Ordinal))
        {
            return pattern == branch;
        }

        var parts = pattern.Split('*');
        if (!branch.StartsWith(parts[0], StringComparison.Ordinal) || !branch.EndsWith(parts[^1], StringComparison.Ordinal)
            || branch.Length < parts[0].Length + parts[^1].Length)
        {
            return false;
        }

        var at = parts[0].Length;
        var end = branch.Length - parts[^1].Length;
        for (var i = 1; i < parts.Length - 1; i++)
        {
            var found = branch.IndexOf(parts[i], at, end - at, StringComparison.Ordinal);
            if (found < 0)
            {
                return false;
            }

            at = found + parts[i].Length;
        }

        return true;
    }
}

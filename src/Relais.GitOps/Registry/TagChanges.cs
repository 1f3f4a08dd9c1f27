namespace Relais.GitOps.Registry;

/// <summary>What changed in a repository's tags since the previous scan (the registry's listing has no <c>since</c>, so this is a diff).</summary>
public sealed record TagChanges(IReadOnlyList<string> Tags, IReadOnlyList<string> Added, IReadOnlyList<string> Removed)
{
    /// <summary>Whether any tag was added or removed.</summary>
    public bool Any => Added.Count > 0 || Removed.Count > 0;

    /// <summary>The changes from <paramref name="previous"/> (null on the first scan: every tag is added) to <paramref name="current"/>.</summary>
    public static TagChanges Between(IReadOnlyCollection<string>? previous, IReadOnlyList<string> current)
    {
        ArgumentNullException.ThrowIfNull(current);
        var before = previous is null ? new HashSet<string>(StringComparer.Ordinal) : new HashSet<string>(previous, StringComparer.Ordinal);
        var now = new HashSet<string>(current, StringComparer.Ordinal);
        var added = current.Where(tag => !before.Contains(tag)).Distinct(StringComparer.Ordinal).ToList();
        var removed = (previous ?? []).Where(tag => !now.Contains(tag)).Distinct(StringComparer.Ordinal).ToList();
        return new TagChanges(current, added, removed);
    }
}

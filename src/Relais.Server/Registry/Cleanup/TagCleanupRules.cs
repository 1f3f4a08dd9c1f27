namespace Relais.Server.Registry.Cleanup;

/// <summary>A tag as the cleanup rules see it: its name and when its image was built (null when unknown).</summary>
public sealed record CleanupTag(string Name, DateTimeOffset? CreatedAt);

/// <summary>
/// Which tags of one repository a cleanup deletes, in GitLab's order (its cleanup tags service, used by both the bulk
/// delete API and the cleanup policy): drop <c>latest</c>; keep only names matching <see cref="Delete"/> and not
/// <see cref="Keep"/> (keep wins); of those, spare the <see cref="KeepN"/> most recent by build time (an unknown
/// build time counts as now); of the rest, delete only those built before now minus <see cref="OlderThan"/> (an
/// unknown build time is never old). Pure: no registry, no clock.
/// </summary>
public sealed record TagCleanupRules
{
    public const string Latest = "latest";

    /// <summary>Tags to delete (<c>name_regex_delete</c>, or its older name <c>name_regex</c>); <see cref="TagNamePattern.Nothing"/> deletes none.</summary>
    public TagNamePattern Delete { get; init; } = TagNamePattern.Nothing;

    /// <summary>Tags never to delete (<c>name_regex_keep</c>).</summary>
    public TagNamePattern Keep { get; init; } = TagNamePattern.Nothing;

    /// <summary>How many of the most recent matching tags to keep (<c>keep_n</c>); null: no such rule.</summary>
    public int? KeepN { get; init; }

    /// <summary>Delete only tags older than this (<c>older_than</c>); null: any age.</summary>
    public TimeSpan? OlderThan { get; init; }

    /// <summary>Whether the rules need the tags' build times (<see cref="KeepN"/> or <see cref="OlderThan"/> is set).</summary>
    public bool NeedsBuildTimes => KeepN is not null || OlderThan is not null;

    /// <summary>The tags whose names may be deleted, before the build-time rules (the ones whose build times matter).</summary>
    public IReadOnlyList<string> MatchingNames(IEnumerable<string> names) =>
        [.. names.Where(n => n != Latest && Delete.Matches(n) && !Keep.Matches(n))];

    /// <summary>The names of the tags to delete, of <paramref name="tags"/>, at <paramref name="now"/>.</summary>
    public IReadOnlyList<string> TagsToDelete(IEnumerable<CleanupTag> tags, DateTimeOffset now)
    {
        var matching = MatchingNames(tags.Select(t => t.Name)).ToHashSet(StringComparer.Ordinal);
        IEnumerable<CleanupTag> candidates = tags.Where(t => matching.Contains(t.Name));
        if (KeepN is { } keep)
        {
            candidates = candidates
                .OrderByDescending(t => t.CreatedAt ?? now)
                .ThenByDescending(t => t.Name, StringComparer.Ordinal)
                .Skip(keep);
        }

        if (OlderThan is { } age)
        {
            var before = now - age;
            candidates = candidates.Where(t => t.CreatedAt is { } built && built < before);
        }

        return [.. candidates.Select(t => t.Name).Order(StringComparer.Ordinal)];
    }
}

using System.Globalization;

namespace Relais.GitOps.Policies;

/// <summary>
/// How an <c>ImagePolicy</c> picks the latest tag (Flux's <c>spec.policy</c>): <c>semver</c> (the highest version in the
/// range), <c>alphabetical</c> or <c>numerical</c> (<c>order: asc</c>, the default, picks the last in ascending order — Z, or
/// the largest number; <c>desc</c> the first), each over the values <see cref="TagFilter"/> leaves.
/// </summary>
public abstract class ImagePolicyRule
{
    /// <summary>The tag the policy picks from <paramref name="tags"/>, or null when none qualifies.</summary>
    public string? Latest(IEnumerable<string> tags, TagFilter filter)
    {
        ArgumentNullException.ThrowIfNull(tags);
        ArgumentNullException.ThrowIfNull(filter);
        string? best = null;
        string? bestValue = null;
        foreach (var tag in tags)
        {
            if (filter.Apply(tag) is not { } value || !Qualifies(value))
            {
                continue;
            }

            // Ties keep the tag ordered last by ordinal comparison, so the answer never depends on the registry's listing order.
            var c = bestValue is null ? 1 : Compare(value, bestValue);
            if (c > 0 || (c == 0 && string.CompareOrdinal(tag, best) > 0))
            {
                (best, bestValue) = (tag, value);
            }
        }

        return best;
    }

    /// <summary>Whether the policy considers this value at all (semver: parses and is in range; numerical: is a number).</summary>
    protected abstract bool Qualifies(string value);

    /// <summary>Positive when <paramref name="a"/> is later than <paramref name="b"/>.</summary>
    protected abstract int Compare(string a, string b);
}

/// <summary><c>semver: {range}</c>.</summary>
public sealed class SemverPolicy(SemverRange range) : ImagePolicyRule
{
    protected override bool Qualifies(string value) => SemanticVersion.TryParse(value) is { } v && range.Contains(v);

    protected override int Compare(string a, string b) => SemanticVersion.TryParse(a)!.CompareTo(SemanticVersion.TryParse(b));
}

/// <summary><c>alphabetical: {order}</c>.</summary>
public sealed class AlphabeticalPolicy(bool ascending = true) : ImagePolicyRule
{
    protected override bool Qualifies(string value) => true;

    protected override int Compare(string a, string b) => (ascending ? 1 : -1) * string.CompareOrdinal(a, b);
}

/// <summary><c>numerical: {order}</c>; values that are not numbers are left out.</summary>
public sealed class NumericalPolicy(bool ascending = true) : ImagePolicyRule
{
    protected override bool Qualifies(string value) => Number(value) is not null;

    protected override int Compare(string a, string b) => (ascending ? 1 : -1) * Number(a)!.Value.CompareTo(Number(b)!.Value);

    private static double? Number(string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && double.IsFinite(n) ? n : null;
}

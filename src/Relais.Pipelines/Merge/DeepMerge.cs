using Relais.Pipelines.Yaml;

namespace Relais.Pipelines.Merge;

/// <summary>
/// GitLab's deep merge (Ruby's <c>Hash#deep_merge</c>): hashes merge key by key, recursively; anything
/// else — scalars, lists, null — in the overriding value replaces the base value. Used for includes
/// (later files over earlier, the including file over all) and for <c>extends</c>.
/// </summary>
public static class DeepMerge
{
    public static YamlNode Merge(YamlNode baseValue, YamlNode overrideValue) =>
        baseValue is YamlMapping baseMap && overrideValue is YamlMapping overrideMap
            ? Merge(baseMap, overrideMap)
            : overrideValue;

    /// <summary>Keys of <paramref name="baseMap"/> keep their order; new keys follow in the override's order.
    /// The result carries the override's location, since that is where the merged thing was written.</summary>
    public static YamlMapping Merge(YamlMapping baseMap, YamlMapping overrideMap)
    {
        if (baseMap.Count == 0)
        {
            return overrideMap;
        }

        if (overrideMap.Count == 0)
        {
            return new YamlMapping(overrideMap.Location, baseMap.Entries);
        }

        var entries = new List<YamlEntry>(baseMap.Count + overrideMap.Count);
        entries.AddRange(baseMap.Entries);
        var positions = baseMap.Count > 8 ? new Dictionary<string, int>(baseMap.Count, StringComparer.Ordinal) : null;
        for (var i = 0; positions is not null && i < entries.Count; i++)
        {
            positions[entries[i].Key] = i;
        }

        foreach (var entry in overrideMap.Entries)
        {
            var at = IndexOf(entries, positions, baseMap.Count, entry.Key);
            if (at >= 0)
            {
                entries[at] = entry with { Value = Merge(entries[at].Value, entry.Value) };
            }
            else
            {
                entries.Add(entry);
            }
        }

        return new YamlMapping(overrideMap.Location, [.. entries]);
    }

    /// <summary>Where <paramref name="key"/> stands among the base entries (new keys are unique, so only those are searched).</summary>
    private static int IndexOf(List<YamlEntry> entries, Dictionary<string, int>? positions, int baseCount, string key)
    {
        if (positions is not null)
        {
            return positions.TryGetValue(key, out var at) ? at : -1;
        }

        for (var i = 0; i < baseCount; i++)
        {
            if (string.Equals(entries[i].Key, key, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}

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
        var positions = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in baseMap.Entries)
        {
            positions[entry.Key] = entries.Count;
            entries.Add(entry);
        }

        foreach (var entry in overrideMap.Entries)
        {
            if (positions.TryGetValue(entry.Key, out var at))
            {
                entries[at] = entry with { Value = Merge(entries[at].Value, entry.Value) };
            }
            else
            {
                positions[entry.Key] = entries.Count;
                entries.Add(entry);
            }
        }

        return new YamlMapping(overrideMap.Location, [.. entries]);
    }
}

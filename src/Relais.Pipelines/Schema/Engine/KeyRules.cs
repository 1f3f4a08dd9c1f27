using Relais.Pipelines.Yaml;

namespace Relais.Pipelines.Schema.Engine;

/// <summary>The cross-keyword checks the tables use, as <see cref="KeyRule"/> values.</summary>
internal static class KeyRules
{
    /// <summary>Exactly one of the keys must be present (none is tolerated in a job fragment).</summary>
    public static KeyRule ExactlyOne(params string[] keys) => (map, at, checker) =>
    {
        var present = keys.Where(map.ContainsKey).ToList();
        if (present.Count == 0 && !at.Fragment)
        {
            checker.MissingOneOf(map, at, keys);
        }
        else if (present.Count > 1)
        {
            checker.Conflict(map.Entry(present[1])!.Value.KeyLocation, at,
                $"use only one of {NodeFacts.JoinOr(present.Select(k => "`" + k + "`"))}");
        }
    };

    /// <summary>At least one of the keys must be present (not checked in a job fragment).</summary>
    public static KeyRule AtLeastOne(params string[] keys) => (map, at, checker) =>
    {
        if (!at.Fragment && !keys.Any(map.ContainsKey))
        {
            checker.MissingOneOf(map, at, keys);
        }
    };

    /// <summary>The two keys cannot both be present; <paramref name="why"/> ends the message.</summary>
    public static KeyRule NotTogether(string first, string second, string why) => (map, at, checker) =>
    {
        if (map.ContainsKey(first) && map.Entry(second) is { } entry)
        {
            checker.Conflict(entry.KeyLocation, at, $"`{first}` and `{second}` cannot be used together; {why}");
        }
    };

    /// <summary>When <paramref name="key"/> is present, <paramref name="needed"/> must be too.</summary>
    public static KeyRule Requires(string key, string needed) => (map, at, checker) =>
    {
        if (!at.Fragment && map.ContainsKey(key) && !map.ContainsKey(needed))
        {
            checker.MissingKey(map, at, needed, key);
        }
    };

    /// <summary>The text of a scalar value under <paramref name="key"/>, when it is one.</summary>
    public static string? TextOf(YamlMapping map, string key) =>
        map[key] is YamlScalar { IsNull: false } scalar ? scalar.AsText() : null;
}

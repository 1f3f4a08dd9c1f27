using Relais.Pipelines.Yaml;

namespace Relais.Pipelines.Schema.Engine;

/// <summary>
/// A hash of keywords: a small declarative table from keyword to the shape of its value. Keys outside
/// the table are reported with the nearest keyword. Built with an initializer, then only read:
/// <code>new MapShape { Required = ["name"], ["name"] = Common.NonEmptyString, ["alias"] = … }</code>
/// </summary>
internal sealed class MapShape : Shape
{
    private readonly Dictionary<string, Shape> _keywords = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

    /// <summary>The shape of one keyword's value.</summary>
    public Shape this[string keyword]
    {
        get => _keywords[keyword];
        init
        {
            if (_keywords.TryAdd(keyword, value))
            {
                _order.Add(keyword);
            }
        }
    }

    public IReadOnlyList<string> Keywords => _order;

    /// <summary>Keywords that must be present (not checked in a job fragment, whose parents may supply them).</summary>
    public IReadOnlyList<string> Required { get; init; } = [];

    /// <summary>Whether an empty value (<c>key:</c> with nothing after it) is accepted as "no hash".</summary>
    public bool AllowNull { get; init; }

    /// <summary>Explanations for keys that are known elsewhere but not here, e.g. <c>include</c> inside a job.</summary>
    public IReadOnlyDictionary<string, string>? Misplaced { get; init; }

    /// <summary>Checks that span several keywords (exclusive pairs, dependencies), run after the keywords.</summary>
    public IReadOnlyList<KeyRule> Rules { get; init; } = [];

    protected override string DefaultExpected => "a hash";

    public override bool Takes(YamlNode node) =>
        node is YamlMapping || (AllowNull && node is YamlScalar { IsNull: true });

    public override void Check(YamlNode node, At at, Checker checker)
    {
        if (node is not YamlMapping map)
        {
            return;
        }

        foreach (var entry in map.Entries)
        {
            if (_keywords.TryGetValue(entry.Key, out var shape))
            {
                // In a job that extends others, `key: null` is how an inherited value is removed.
                if (!(at.Fragment && entry.Value is YamlScalar { IsNull: true }))
                {
                    checker.Check(shape, entry.Value, at.Key(entry.Key));
                }
            }
            else
            {
                var note = Misplaced is not null && Misplaced.TryGetValue(entry.Key, out var why) ? why : null;
                checker.UnknownKey(entry, at, _order, note);
            }
        }

        if (!at.Fragment)
        {
            foreach (var key in Required)
            {
                if (!map.ContainsKey(key))
                {
                    checker.MissingKey(map, at, key);
                }
            }
        }

        foreach (var rule in Rules)
        {
            rule(map, at, checker);
        }
    }
}

/// <summary>A check across the keys of one hash, such as "not both" or "one of these is required".</summary>
internal delegate void KeyRule(YamlMapping map, At at, Checker checker);

/// <summary>
/// A hash whose keys are names chosen by the user (variables, secrets, inputs): every value has one
/// shape, and the names may be limited by a pattern and in number.
/// </summary>
internal sealed class DictShape(Shape value) : Shape
{
    public System.Text.RegularExpressions.Regex? KeyPattern { get; init; }

    /// <summary>What <see cref="KeyPattern"/> allows, after "use": "letters, digits, `_` and `-`".</summary>
    public string KeyPatternText { get; init; } = "the allowed characters";

    public int MaxEntries { get; init; } = int.MaxValue;

    protected override string DefaultExpected => "a hash";

    public override bool Takes(YamlNode node) => node is YamlMapping;

    public override void Check(YamlNode node, At at, Checker checker)
    {
        var map = (YamlMapping)node;
        if (map.Count > MaxEntries)
        {
            checker.BadValue(node.Location, at, $"has {map.Count} entries; at most {MaxEntries} are allowed");
        }

        foreach (var entry in map.Entries)
        {
            if (KeyPattern is not null && !KeyPattern.IsMatch(entry.Key))
            {
                checker.BadValue(entry.KeyLocation, at, $"`{entry.Key}` is not a valid name; use {KeyPatternText}");
                continue;
            }

            checker.Check(value, entry.Value, at.Key(entry.Key));
        }
    }
}

using System.Collections.Immutable;

namespace Relais.Pipelines.Yaml;

/// <summary>
/// The compiler's own immutable YAML tree. Every node keeps where it was written, so a value that
/// travelled through includes, anchors, <c>extends</c> or <c>!reference</c> still reports the file,
/// line and column a person has to edit.
/// </summary>
public abstract class YamlNode(SourceLocation location)
{
    public SourceLocation Location { get; } = location;

    /// <summary>The name used for this kind of value in messages: "a string", "a list", "a hash".</summary>
    public abstract string KindName { get; }

    /// <summary>How many values this node stands for once aliases are expanded (set by the loader; 1 for a scalar).</summary>
    internal long ExpandedSize { get; set; } = 1;
}

/// <summary>How a scalar reads under the YAML 1.1 rules GitLab's parser (Psych) applies to plain scalars.</summary>
public enum ScalarType
{
    Null,
    Bool,
    Int,
    Float,
    String,
}

public sealed class YamlScalar(SourceLocation location, string value, ScalarType type) : YamlNode(location)
{
    /// <summary>The text as written (for <see cref="ScalarType.Null"/>, the empty string).</summary>
    public string Value { get; } = value;

    public ScalarType Type { get; } = type;

    public bool IsNull => Type == ScalarType.Null;

    public override string KindName => Type switch
    {
        ScalarType.Null => "null",
        ScalarType.Bool => "a boolean",
        ScalarType.Int => "an integer",
        ScalarType.Float => "a number",
        _ => "a string",
    };

    public static YamlScalar String(string value, SourceLocation location) => new(location, value, ScalarType.String);

    public static YamlScalar Null(SourceLocation location) => new(location, "", ScalarType.Null);

    /// <summary>The boolean value when this scalar is one (<c>true</c>, <c>yes</c>, <c>on</c>, …).</summary>
    public bool? AsBool() => Type == ScalarType.Bool ? ScalarResolver.ParseBool(Value) : null;

    /// <summary>The integer value when this scalar is one.</summary>
    public long? AsInt() => Type == ScalarType.Int ? ScalarResolver.ParseInt(Value) : null;

    /// <summary>The value as GitLab turns a scalar into a string: booleans lower-case, null empty.</summary>
    public string AsText() => Type switch
    {
        ScalarType.Null => "",
        ScalarType.Bool => ScalarResolver.ParseBool(Value) == true ? "true" : "false",
        ScalarType.Int => ScalarResolver.ParseInt(Value)?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? Value,
        _ => Value,
    };

    public override string ToString() => Value;
}

public sealed class YamlSequence(SourceLocation location, ImmutableArray<YamlNode> items) : YamlNode(location)
{
    public ImmutableArray<YamlNode> Items { get; } = items;

    public override string KindName => "a list";
}

/// <summary>A key and its value in a <see cref="YamlMapping"/>; the key keeps its own location.</summary>
public readonly record struct YamlEntry(string Key, SourceLocation KeyLocation, YamlNode Value);

/// <summary>An ordered mapping with string keys. Lookups are by exact key.</summary>
public sealed class YamlMapping : YamlNode
{
    private Dictionary<string, int>? _index;

    public YamlMapping(SourceLocation location, ImmutableArray<YamlEntry> entries)
        : base(location)
    {
        Entries = entries;
    }

    public ImmutableArray<YamlEntry> Entries { get; }

    public int Count => Entries.Length;

    public IEnumerable<string> Keys => Entries.Select(e => e.Key);

    public override string KindName => "a hash";

    public YamlNode? this[string key] => TryGet(key, out var value) ? value : null;

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public bool TryGet(string key, out YamlNode value)
    {
        var i = IndexOf(key);
        value = i >= 0 ? Entries[i].Value : null!;
        return i >= 0;
    }

    public YamlEntry? Entry(string key)
    {
        var i = IndexOf(key);
        return i >= 0 ? Entries[i] : null;
    }

    /// <summary>A copy with <paramref name="key"/> set: replaced in place when present, appended otherwise.</summary>
    public YamlMapping With(string key, YamlNode value, SourceLocation? keyLocation = null)
    {
        var i = IndexOf(key);
        if (i >= 0)
        {
            var old = Entries[i];
            return new YamlMapping(Location, Entries.SetItem(i, new YamlEntry(key, keyLocation ?? old.KeyLocation, value)));
        }

        return new YamlMapping(Location, Entries.Add(new YamlEntry(key, keyLocation ?? value.Location, value)));
    }

    public YamlMapping Without(string key)
    {
        var i = IndexOf(key);
        return i < 0 ? this : new YamlMapping(Location, Entries.RemoveAt(i));
    }

    private int IndexOf(string key)
    {
        if (Entries.Length <= 8)
        {
            for (var i = 0; i < Entries.Length; i++)
            {
                if (string.Equals(Entries[i].Key, key, StringComparison.Ordinal))
                {
                    return i;
                }
            }

            return -1;
        }

        _index ??= BuildIndex();
        return _index.TryGetValue(key, out var at) ? at : -1;
    }

    private Dictionary<string, int> BuildIndex()
    {
        var index = new Dictionary<string, int>(Entries.Length, StringComparer.Ordinal);
        for (var i = 0; i < Entries.Length; i++)
        {
            index[Entries[i].Key] = i;
        }

        return index;
    }
}

/// <summary>
/// A <c>!reference [job, key, …]</c> tag, kept as written until the merge stage resolves it against
/// the whole configuration (after includes, before <c>extends</c>, as GitLab does).
/// </summary>
public sealed class YamlReference(SourceLocation location, ImmutableArray<string> path) : YamlNode(location)
{
    public ImmutableArray<string> Path { get; } = path;

    public override string KindName => "a !reference";

    public override string ToString() => "!reference [" + string.Join(", ", Path) + "]";
}

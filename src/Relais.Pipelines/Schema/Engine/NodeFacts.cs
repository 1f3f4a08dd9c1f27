using System.Globalization;
using Relais.Pipelines.Yaml;

namespace Relais.Pipelines.Schema.Engine;

/// <summary>Small facts about YAML nodes the shapes need: how to name them, and when two are equal.</summary>
internal static class NodeFacts
{
    /// <summary>"a string `abc`", "an empty string", "a list", "no value": what a node is.</summary>
    public static string Describe(YamlNode node) => node switch
    {
        YamlScalar { IsNull: true } => "no value",
        YamlScalar { Type: ScalarType.String, Value.Length: 0 } => "an empty string",
        YamlScalar s => $"{s.KindName} `{Shorten(s.Value)}`",
        _ => node.KindName,
    };

    /// <summary>The end of "must be …, but …": "it is a list", "it has no value".</summary>
    public static string Actual(YamlNode node) =>
        node is YamlScalar { IsNull: true } ? "it has no value" : "it is " + Describe(node);

    /// <summary>A value quoted for a message: <c>`abc`</c>, or "an empty string".</summary>
    public static string Quote(string text) => text.Length == 0 ? "an empty string" : $"`{Shorten(text)}`";

    public static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "…";

    /// <summary>"a, b or c".</summary>
    public static string JoinOr(IEnumerable<string> items) => Join(items, " or ");

    /// <summary>"a, b, c": for lists of allowed values, where "or" would read ambiguously.</summary>
    public static string JoinComma(IEnumerable<string> items) => string.Join(", ", items);

    private static string Join(IEnumerable<string> items, string last)
    {
        var list = items.ToList();
        return list.Count <= 1 ? string.Concat(list) : string.Join(", ", list.Take(list.Count - 1)) + last + list[^1];
    }

    /// <summary>
    /// Whether two values are the same value, as a JSON Schema <c>uniqueItems</c> check compares them:
    /// numbers by value (1 equals 1.0), text by its characters, hashes regardless of key order.
    /// </summary>
    public static bool SameValue(YamlNode a, YamlNode b)
    {
        switch (a, b)
        {
            case (YamlScalar x, YamlScalar y):
                return SameScalar(x, y);
            case (YamlSequence x, YamlSequence y):
                return x.Items.Length == y.Items.Length && x.Items.Zip(y.Items).All(p => SameValue(p.First, p.Second));
            case (YamlMapping x, YamlMapping y):
                return x.Count == y.Count && x.Entries.All(e => y.TryGet(e.Key, out var other) && SameValue(e.Value, other));
            case (YamlReference x, YamlReference y):
                return x.Path.SequenceEqual(y.Path);
            default:
                return false;
        }
    }

    private static bool SameScalar(YamlScalar x, YamlScalar y)
    {
        if (IsNumber(x) && IsNumber(y))
        {
            return ToDouble(x) is { } dx && ToDouble(y) is { } dy ? dx.Equals(dy) : x.Value == y.Value;
        }

        return x.Type == y.Type && x.AsText() == y.AsText();
    }

    public static bool IsNumber(YamlScalar s) => s.Type is ScalarType.Int or ScalarType.Float;

    private static double? ToDouble(YamlScalar s) =>
        s.AsInt() is { } i ? i
        : double.TryParse(s.Value.Replace("_", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d
        : null;
}

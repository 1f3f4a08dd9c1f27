using System.Text.RegularExpressions;
using Relais.Pipelines.Yaml;

namespace Relais.Pipelines.Schema.Engine;

/// <summary>
/// Text: a scalar that YAML reads as a string (quoted, or plain and not a number, boolean or null),
/// optionally limited to a set of values, a length, a pattern, or a rule of its own.
/// </summary>
internal sealed class StrShape : Shape
{
    public int MinLength { get; init; }

    public int MaxLength { get; init; } = int.MaxValue;

    /// <summary>The only values allowed, when the keyword is an enumeration.</summary>
    public IReadOnlyList<string>? Values { get; init; }

    /// <summary>Extra words for particular values outside <see cref="Values"/>, e.g. why <c>never</c> is not allowed here.</summary>
    public IReadOnlyDictionary<string, string>? Notes { get; init; }

    public Regex? Pattern { get; init; }

    /// <summary>What <see cref="Pattern"/> stands for, after "is not": "a path ending in `.yml` or `.yaml`".</summary>
    public string PatternText { get; init; } = "in the expected form";

    /// <summary>A check of its own: returns the problem (the end of a sentence after the path), or null.</summary>
    public Func<string, string?>? Rule { get; init; }

    protected override string DefaultExpected =>
        Values is not null ? "one of " + NodeFacts.JoinComma(Values)
        : MinLength > 0 ? "a non-empty string"
        : "a string";

    public override bool Takes(YamlNode node) => node is YamlScalar { Type: ScalarType.String };

    public override void Check(YamlNode node, At at, Checker checker)
    {
        var text = ((YamlScalar)node).Value;
        if (Values is not null && !Values.Contains(text, StringComparer.Ordinal))
        {
            var problem = $"{NodeFacts.Quote(text)} is not one of {NodeFacts.JoinComma(Values)}";
            if (Notes is not null && Notes.TryGetValue(text, out var note))
            {
                problem += " (" + note + ")";
            }
            else if (Suggestions.Closest(text, Values) is { } near)
            {
                problem += $" (did you mean `{near}`?)";
            }

            checker.BadValue(node.Location, at, problem);
            return;
        }

        if (text.Length < MinLength)
        {
            checker.BadValue(node.Location, at, MinLength == 1 ? "must not be empty" : $"must be at least {MinLength} characters long");
        }
        else if (text.Length > MaxLength)
        {
            checker.BadValue(node.Location, at, $"is {text.Length} characters long; at most {MaxLength} are allowed");
        }
        else if (Pattern is not null && !Pattern.IsMatch(text))
        {
            checker.BadValue(node.Location, at, $"{NodeFacts.Quote(text)} is not {PatternText}");
        }
        else if (Rule?.Invoke(text) is { } problem)
        {
            checker.BadValue(node.Location, at, problem);
        }
    }
}

/// <summary>An integer (a plain YAML integer, not a quoted one), optionally within a range.</summary>
internal sealed class IntShape : Shape
{
    public long Min { get; init; } = long.MinValue;

    public long Max { get; init; } = long.MaxValue;

    protected override string DefaultExpected =>
        (Min, Max) switch
        {
            (long.MinValue, long.MaxValue) => "an integer",
            (_, long.MaxValue) => $"an integer of at least {Min}",
            _ => $"an integer from {Min} to {Max}",
        };

    public override bool Takes(YamlNode node) => node is YamlScalar { Type: ScalarType.Int };

    public override void Check(YamlNode node, At at, Checker checker)
    {
        var scalar = (YamlScalar)node;
        if (scalar.AsInt() is not { } value || value < Min || value > Max)
        {
            checker.BadValue(node.Location, at, $"must be {Expected}, not {scalar.Value}");
        }
    }
}

/// <summary>Kinds of value with no further constraint: numbers, booleans, null, any list, any hash, anything.</summary>
internal sealed class KindShape : Shape
{
    private readonly Func<YamlNode, bool> _takes;
    private readonly string _expected;

    private KindShape(string expected, Func<YamlNode, bool> takes)
    {
        _expected = expected;
        _takes = takes;
    }

    public static KindShape Number { get; } = new("a number", n => n is YamlScalar s && NodeFacts.IsNumber(s));

    public static KindShape Bool { get; } = new("true or false", n => n is YamlScalar { Type: ScalarType.Bool });

    public static KindShape Null { get; } = new("empty", n => n is YamlScalar { IsNull: true });

    public static KindShape Any { get; } = new("any value", _ => true);

    /// <summary>Any list, whatever its items.</summary>
    public static KindShape List { get; } = new("a list", n => n is YamlSequence);

    /// <summary>Any hash, whatever its keys.</summary>
    public static KindShape Hash { get; } = new("a hash", n => n is YamlMapping);

    protected override string DefaultExpected => _expected;

    public override bool Takes(YamlNode node) => _takes(node);

    public override void Check(YamlNode node, At at, Checker checker)
    {
    }
}

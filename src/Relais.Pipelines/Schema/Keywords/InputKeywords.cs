using Relais.Pipelines.Schema.Engine;
using Relais.Pipelines.Yaml;

namespace Relais.Pipelines.Schema.Keywords;

/// <summary>
/// Input declarations: <c>spec:inputs</c> of a configuration file, and a job's own <c>inputs</c>. A
/// declaration names a <c>type</c> (string when omitted) and its <c>default</c> must be of that type.
/// </summary>
internal static class InputKeywords
{
    private static readonly StrShape Type = new() { Values = ["array", "boolean", "number", "string"] };

    private static readonly UnionShape OptionValue = new(Common.String, Common.Number, Common.Bool)
    {
        Text = "a string, a number or a boolean",
    };

    private static readonly ListShape Options = new(OptionValue) { Text = "a list of values" };

    private static readonly MapShape Rule = new()
    {
        Required = ["default"],
        ["if"] = Common.String,
        ["options"] = new ListShape(OptionValue) { Max = 50, Text = "a list of up to 50 values" },
        ["default"] = KindShape.Any,
    };

    /// <summary>One <c>spec:inputs</c> entry: empty (a required string input) or a declaration.</summary>
    private static readonly MapShape SpecInput = new()
    {
        ["type"] = Type,
        ["description"] = new StrShape { MaxLength = 1024 },
        ["options"] = Options,
        ["regex"] = Common.String,
        ["default"] = KindShape.Any,
        ["rules"] = new ListShape(Rule) { Text = "a list of rules" },
        Rules =
        [
            KeyRules.NotTogether("rules", "options", "with `rules`, each rule gives its own `options`"),
            KeyRules.NotTogether("rules", "default", "with `rules`, each rule gives its own `default`"),
            (map, at, checker) => DefaultMatchesType(map, at, checker, allowNull: true),
        ],
    };

    public static readonly DictShape SpecInputs = new(new UnionShape(SpecInput, KindShape.Null)
    {
        Text = "a hash declaring the input, or empty",
    });

    /// <summary>A job input must have a default, of its type.</summary>
    public static readonly DictShape JobInputs = new(new MapShape
    {
        Required = ["default"],
        ["type"] = Type,
        ["description"] = new StrShape { MaxLength = 1024 },
        ["options"] = Options,
        ["regex"] = Common.String,
        ["default"] = KindShape.Any,
        Rules = [(map, at, checker) => DefaultMatchesType(map, at, checker, allowNull: false)],
    })
    {
        MaxEntries = 50,
    };

    private static void DefaultMatchesType(YamlMapping map, At at, Checker checker, bool allowNull)
    {
        if (map["default"] is not { } value || value is YamlReference || (allowNull && value is YamlScalar { IsNull: true }))
        {
            return;
        }

        var type = map["type"] is YamlScalar { Type: ScalarType.String } t ? t.Value : "string";
        var matches = type switch
        {
            "string" => value is YamlScalar { Type: ScalarType.String },
            "number" => value is YamlScalar s && NodeFacts.IsNumber(s),
            "boolean" => value is YamlScalar { Type: ScalarType.Bool },
            "array" => value is YamlSequence,
            _ => true,
        };

        if (!matches)
        {
            var declared = map.ContainsKey("type") ? $"of type `{type}`" : "without a `type` (so a string input)";
            checker.BadValue(value.Location, at.Key("default"),
                $"an input {declared} needs a default of that type, but it is {NodeFacts.Describe(value)}");
        }
    }
}

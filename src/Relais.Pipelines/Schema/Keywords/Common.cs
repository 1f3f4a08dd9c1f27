using Relais.Pipelines.Schema.Engine;

namespace Relais.Pipelines.Schema.Keywords;

/// <summary>The small shapes every keyword family uses: strings, lists of strings, scripts, variables.</summary>
internal static class Common
{
    public static readonly StrShape String = new();

    public static readonly StrShape NonEmptyString = new() { MinLength = 1 };

    public static readonly Shape Bool = KindShape.Bool;

    public static readonly Shape Number = KindShape.Number;

    public static readonly IntShape Integer = new();

    public static readonly ListShape Strings = new(String) { Text = "a list of strings" };

    public static readonly ListShape NonEmptyStrings = new(String) { Min = 1, Text = "a non-empty list of strings" };

    /// <summary>A path or a list of paths (most <c>artifacts:reports</c>).</summary>
    public static readonly UnionShape StringOrStrings = new(String, Strings);

    /// <summary>A path to a YAML file.</summary>
    public static readonly StrShape YamlPath = new()
    {
        Pattern = Patterns.YamlFile(),
        PatternText = "a path ending in `.yml` or `.yaml`",
    };

    /// <summary>A project path: <c>group/project</c>, <c>group/sub/project</c> or a <c>$VARIABLE</c>.</summary>
    public static readonly StrShape ProjectPath = new()
    {
        Pattern = Patterns.ProjectPath(),
        PatternText = "a project path like `group/project`, or a `$VARIABLE`",
    };

    /// <summary><c>script</c>: a non-empty string or a non-empty list of lines.</summary>
    public static readonly UnionShape Script = new(NonEmptyString, new NestedStringsShape { Min = 1 })
    {
        Text = "a non-empty string or a non-empty list of strings",
    };

    /// <summary><c>before_script</c>, <c>after_script</c>, hooks: like <see cref="Script"/>, but may be empty.</summary>
    public static readonly UnionShape OptionalScript = new(String, new NestedStringsShape())
    {
        Text = "a string or a list of strings",
    };

    /// <summary>A value a variable may hold as written: text, a number or a boolean.</summary>
    public static readonly UnionShape ScalarValue = new(String, Number, Bool) { Text = "a string, a number or a boolean" };

    /// <summary>
    /// Job (and service) variables: <c>NAME: value</c> or <c>NAME: {value, expand}</c>. <c>NAME:</c> with no
    /// value is an empty string, as GitLab composes each variable from <c>config || {}</c>.
    /// </summary>
    public static readonly DictShape JobVariables = new(new UnionShape(String, Number, Bool, KindShape.Null, new MapShape
    {
        ["value"] = ScalarValue,
        ["expand"] = Bool,
    })
    {
        Text = "a string, a number, or a hash with `value` and `expand`",
    });

    /// <summary>Top-level variables, which may also describe themselves for the "Run pipeline" form (empty: an empty string).</summary>
    public static readonly DictShape GlobalVariables = new(new UnionShape(String, Number, Bool, KindShape.Null, new MapShape
    {
        ["value"] = ScalarValue,
        ["options"] = new ListShape(String) { Min = 1, Unique = true, Text = "a list of strings" },
        ["description"] = String,
        ["expand"] = Bool,
        Rules = [ValueAmongOptions],
    })
    {
        Text = "a string, a number, or a hash with `value`, `description`, `options` and `expand`",
    });

    /// <summary><c>rules:variables</c> and <c>workflow:rules:variables</c>: plain values only.</summary>
    public static readonly DictShape RulesVariables = new(ScalarValue);

    private static void ValueAmongOptions(Yaml.YamlMapping map, At at, Checker checker)
    {
        if (map["options"] is Yaml.YamlSequence options && map["value"] is Yaml.YamlScalar { Type: Yaml.ScalarType.String } value
            && options.Items.All(o => o is Yaml.YamlScalar) && !options.Items.Any(o => ((Yaml.YamlScalar)o).Value == value.Value))
        {
            checker.BadValue(value.Location, at.Key("value"), $"`{value.Value}` must be one of its `options`");
        }
    }
}

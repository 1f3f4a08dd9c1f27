using Relais.Pipelines.Schema.Engine;

namespace Relais.Pipelines.Schema.Keywords;

/// <summary><c>run</c>: CI steps, each running a <c>script</c> or a referenced <c>step</c> (or <c>func</c>).</summary>
internal static class StepKeywords
{
    private static readonly StrShape Name = new()
    {
        Pattern = Patterns.Identifier(),
        PatternText = "a name of letters, digits and `_` that does not start with a digit",
    };

    private static readonly DictShape Env = new(Common.String)
    {
        KeyPattern = Patterns.Identifier(),
        KeyPatternText = "letters, digits and `_`, not starting with a digit",
    };

    private static readonly DictShape Inputs = new(KindShape.Any)
    {
        KeyPattern = Patterns.Identifier(),
        KeyPatternText = "letters, digits and `_`, not starting with a digit",
    };

    private static readonly MapShape Git = new()
    {
        Required = ["git"],
        ["git"] = new MapShape
        {
            Required = ["url", "rev"],
            ["url"] = Common.String,
            ["dir"] = Common.String,
            ["rev"] = Common.String,
            ["file"] = Common.String,
        },
    };

    private static readonly MapShape Oci = new()
    {
        Required = ["oci"],
        ["oci"] = new MapShape
        {
            Required = ["registry", "repository", "tag"],
            ["registry"] = Common.String,
            ["repository"] = Common.String,
            ["tag"] = Common.String,
            ["dir"] = Common.String,
            ["file"] = Common.String,
        },
    };

    private static readonly UnionShape Reference = new(Common.String, new FormsShape(("git", Git), ("oci", Oci)))
    {
        Text = "a step reference, or a hash with `git` or `oci`",
    };

    private static readonly MapShape ReferenceStep = new()
    {
        Required = ["name"],
        ["name"] = Name,
        ["env"] = Env,
        ["inputs"] = Inputs,
        ["step"] = Reference,
        ["func"] = Reference,
    };

    private static readonly MapShape ScriptStep = new()
    {
        Required = ["name"],
        Misplaced = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["inputs"] = "a `script` step takes no `inputs`; only `step` and `func` steps do",
        },
        ["name"] = Name,
        ["env"] = Env,
        ["script"] = Common.NonEmptyString,
    };

    public static readonly ListShape Run = new(new FormsShape(("script", ScriptStep), ("step", ReferenceStep), ("func", ReferenceStep)))
    {
        Text = "a list of steps",
    };
}

using Relais.Pipelines.Schema.Engine;

namespace Relais.Pipelines.Schema.Keywords;

/// <summary>
/// The top-level <c>include</c> (string or hash items, or a list of them) and the values passed to
/// included files, components and downstream pipelines as <c>inputs</c>.
/// </summary>
internal static class IncludeKeywords
{
    /// <summary>Input values: names of letters, digits, <c>_</c>, <c>-</c>; values of any YAML kind.</summary>
    public static readonly DictShape Inputs = new(new UnionShape(
        new StrShape { MaxLength = 1024 }, Common.Number, Common.Bool, KindShape.List, KindShape.Hash, KindShape.Null)
    {
        Text = "a string, number, boolean, list or hash",
    })
    {
        KeyPattern = Patterns.InputName(),
        KeyPatternText = "letters, digits, `_` and `-`",
    };

    public static readonly StrShape RemoteUrl = new()
    {
        Pattern = Patterns.RemoteYaml(),
        PatternText = "an http(s) URL ending in `.yml` or `.yaml`",
    };

    public static readonly StrShape Integrity = new()
    {
        Pattern = Patterns.Integrity(),
        PatternText = "`sha256-` followed by a base64 SHA-256 digest",
    };

    /// <summary><c>include:cache</c>: true, or a time to live such as <c>1 day</c>.</summary>
    public static readonly UnionShape RemoteCache = new(Common.Bool, Common.NonEmptyString) { Text = "true, false or a duration" };

    private static readonly Dictionary<string, string> RemoteOnly = new(StringComparer.Ordinal)
    {
        ["cache"] = "`cache` is only available for `remote` includes",
        ["integrity"] = "`integrity` is only available for `remote` includes",
    };

    /// <summary>A string include: a local path or an http(s) URL of a YAML file.</summary>
    private static readonly StrShape IncludeString = new() { Rule = IncludeStringProblem };

    private static readonly FormsShape IncludeHash = new(
        ("local", new MapShape
        {
            Misplaced = RemoteOnly,
            ["local"] = Common.YamlPath,
            ["rules"] = RuleKeywords.IncludeRules,
            ["inputs"] = Inputs,
        }),
        ("project", new MapShape
        {
            Misplaced = RemoteOnly,
            Required = ["project", "file"],
            ["project"] = Common.ProjectPath,
            ["ref"] = Common.String,
            ["file"] = new UnionShape(Common.YamlPath, new ListShape(Common.YamlPath) { Text = "a list of paths" }),
            ["rules"] = RuleKeywords.IncludeRules,
            ["inputs"] = Inputs,
        }),
        ("template", new MapShape
        {
            Misplaced = RemoteOnly,
            ["template"] = Common.YamlPath,
            ["rules"] = RuleKeywords.IncludeRules,
            ["inputs"] = Inputs,
        }),
        ("component", new MapShape
        {
            Misplaced = RemoteOnly,
            ["component"] = Common.String,
            ["rules"] = RuleKeywords.IncludeRules,
            ["inputs"] = Inputs,
        }),
        ("remote", new MapShape
        {
            ["remote"] = RemoteUrl,
            ["integrity"] = Integrity,
            ["cache"] = RemoteCache,
            ["rules"] = RuleKeywords.IncludeRules,
            ["inputs"] = Inputs,
        }));

    private static readonly UnionShape IncludeItem = new(IncludeString, IncludeHash)
    {
        Text = "a path, a URL, or a hash with `local`, `project`, `template`, `component` or `remote`",
    };

    public static readonly UnionShape Include = new(IncludeString, IncludeHash, new ListShape(IncludeItem) { Text = "a list of includes" })
    {
        Text = "a path, a URL, a hash with `local`, `project`, `template`, `component` or `remote`, or a list of these",
    };

    /// <summary>
    /// A YAML path or an http(s) URL. GitLab's schema also wants a word character before the extension;
    /// that would reject the documented <c>include: 'configs/*.yml'</c>, so only the extension is required.
    /// </summary>
    private static string? IncludeStringProblem(string text)
    {
        if (!Patterns.YamlFile().IsMatch(text))
        {
            return $"{NodeFacts.Quote(text)} is not a path or URL ending in `.yml` or `.yaml`";
        }

        return Patterns.AnyScheme().IsMatch(text) && !Patterns.HttpScheme().IsMatch(text)
            ? $"{NodeFacts.Quote(text)} is not a local path or an http(s) URL"
            : null;
    }
}

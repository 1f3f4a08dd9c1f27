using Relais.Pipelines.Schema.Engine;

namespace Relais.Pipelines.Schema.Keywords;

/// <summary>
/// The top-level keywords and the shapes of their values. Every other top-level key is a job, or,
/// when it starts with a dot, a hidden job (a template) that is only checked once a job extends it.
/// </summary>
internal static class GlobalKeywords
{
    /// <summary>Keywords of <c>default:</c>; only these can have a default.</summary>
    public static readonly MapShape Default = new()
    {
        Misplaced = new[] { "script", "stage", "rules", "needs", "when", "variables", "only", "except", "environment", "trigger", "parallel" }
            .ToDictionary(
                k => k,
                k => $"`{k}` cannot have a default; set it in each job, or in a hidden job they `extends`",
                StringComparer.Ordinal),
        ["after_script"] = Common.OptionalScript,
        ["artifacts"] = ArtifactKeywords.Artifacts,
        ["before_script"] = Common.OptionalScript,
        ["cache"] = CacheKeywords.Cache,
        ["hooks"] = JobValueKeywords.Hooks,
        ["id_tokens"] = SecretKeywords.IdTokens,
        ["identity"] = JobKeywords.Identity,
        ["image"] = ImageKeywords.Image,
        ["interruptible"] = Common.Bool,
        ["retry"] = JobValueKeywords.Retry,
        ["services"] = ImageKeywords.Services,
        ["tags"] = JobKeywords.Tags,
        ["timeout"] = Common.NonEmptyString,
    };

    /// <summary><c>stages</c>: unique names; an item may be a list of names (as <c>!reference</c> produces).</summary>
    public static readonly ListShape Stages = new(new UnionShape(Common.String, Common.Strings) { Text = "a stage name" })
    {
        Min = 1,
        Unique = true,
        Text = "a non-empty list of stage names",
    };

    public static readonly MapShape Workflow = new()
    {
        ["name"] = new StrShape { MinLength = 1, MaxLength = 255 },
        ["auto_cancel"] = RuleKeywords.AutoCancel,
        ["rules"] = RuleKeywords.WorkflowRules,
    };

    private static readonly Dictionary<string, string> NoInputsHere = new(StringComparer.Ordinal)
    {
        ["inputs"] = "`spec:include` files declare inputs; they do not take `inputs`",
    };

    /// <summary>A file <c>spec:include</c> reads more input declarations from: local, project or remote only.</summary>
    private static readonly FormsShape SpecInclude = new(
        ("local", new MapShape { Misplaced = NoInputsHere, ["local"] = Common.YamlPath }),
        ("project", new MapShape
        {
            Misplaced = NoInputsHere,
            Required = ["project", "file"],
            ["project"] = Common.ProjectPath,
            ["ref"] = Common.String,
            ["file"] = new UnionShape(Common.YamlPath, new ListShape(Common.YamlPath) { Text = "a list of paths" }),
        }),
        ("remote", new MapShape
        {
            Misplaced = NoInputsHere,
            ["remote"] = IncludeKeywords.RemoteUrl,
            ["integrity"] = IncludeKeywords.Integrity,
            ["cache"] = IncludeKeywords.RemoteCache,
        }));

    /// <summary>The header of a file that declares inputs (the document before <c>---</c>).</summary>
    public static readonly MapShape Spec = new()
    {
        ["inputs"] = InputKeywords.SpecInputs,
        ["include"] = new ListShape(SpecInclude) { Text = "a list of files" },
        ["component"] = new ListShape(new StrShape { Values = ["name", "sha", "version", "reference"] })
        {
            Unique = true,
            Text = "a list of component fields",
        },
        ["description"] = new StrShape { MaxLength = 256 },
    };

    /// <summary>Every top-level keyword and the shape of its value.</summary>
    public static readonly IReadOnlyDictionary<string, Shape> All = new Dictionary<string, Shape>(StringComparer.Ordinal)
    {
        ["default"] = Default,
        ["include"] = IncludeKeywords.Include,
        ["stages"] = Stages,
        ["variables"] = Common.GlobalVariables,
        ["workflow"] = Workflow,
        ["spec"] = Spec,
        ["image"] = ImageKeywords.Image,
        ["services"] = ImageKeywords.Services,
        ["cache"] = CacheKeywords.Cache,
        ["before_script"] = Common.OptionalScript,
        ["after_script"] = Common.OptionalScript,
        ["$schema"] = Common.String,
    };

    /// <summary>Top-level keywords GitLab still accepts but wants under <c>default:</c>.</summary>
    public static readonly IReadOnlySet<string> DeprecatedGlobals =
        new HashSet<string>(["image", "services", "cache", "before_script", "after_script"], StringComparer.Ordinal);
}
